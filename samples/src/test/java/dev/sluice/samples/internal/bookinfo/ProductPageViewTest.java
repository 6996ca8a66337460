package dev.sluice.samples.internal.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.samples.internal.http.JsonText;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * productpage's HTML against pages rendered by the original Jinja2 templates under Flask
 * ({@code src/test/resources/golden/productpage/generate.py}): byte for byte.
 */
class ProductPageViewTest {

  static final String DETAILS = "{\"id\":0,\"author\":\"William Shakespeare\",\"year\":1595,\"type\":\"paperback\","
      + "\"pages\":200,\"publisher\":\"PublisherA\",\"language\":\"English\",\"ISBN-10\":\"1234567890\","
      + "\"ISBN-13\":\"123-1234567890\"}";

  static String golden(String name) throws Exception {
    try (InputStream in = ProductPageViewTest.class.getResourceAsStream("/golden/productpage/" + name + ".html")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String reviews(String pod, String cluster, String rating1, String rating2) {
    return "{\"id\": \"0\",\"podname\": \"" + pod + "\",\"clustername\": \"" + cluster + "\",\"reviews\": ["
        + "{  \"reviewer\": \"Reviewer1\",  \"text\": \"An extremely entertaining play by Shakespeare. "
        + "The slapstick humour is refreshing!\"" + rating1 + "},"
        + "{  \"reviewer\": \"Reviewer2\",  \"text\": \"Absolutely fun and entertaining. The play lacks "
        + "thematic depth when compared to other plays by Shakespeare.\"" + rating2 + "}]}";
  }

  static Map<?, ?> json(String s) throws Exception {
    return (Map<?, ?>) JsonText.parse(s);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "v1-anonymous|''|reviews-v1-abc|null||",
      "v2-jason|jason|reviews-v2-def|null|, \"rating\": {\"stars\": 5, \"color\": \"black\"}|, \"rating\": {\"stars\": 4, \"color\": \"black\"}",
      "v3-cluster|''|reviews-v3-ghi|Kubernetes|, \"rating\": {\"stars\": 5, \"color\": \"red\"}|, \"rating\": {\"stars\": 4, \"color\": \"red\"}",
      "ratings-unavailable|jason|reviews-v2-def|null|, \"rating\": {\"error\": \"Ratings service is currently unavailable\"}|, \"rating\": {\"error\": \"Ratings service is currently unavailable\"}",
  })
  void pageMatchesTheOriginal(String name, String user, String pod, String cluster, String r1, String r2)
      throws Exception {
    String page = ProductPageView.productPage(user, 200, json(DETAILS), 200,
        json(reviews(pod, cluster, r1 == null ? "" : r1, r2 == null ? "" : r2)));
    assertThat(page).isEqualTo(golden(name));
  }

  @Test
  void errorPageEscapesTheUserAsTheOriginal() throws Exception {
    String page = ProductPageView.productPage("<b>\"O'Neil\" & co</b>",
        503, Map.of("error", ProductPage.DETAILS_ERROR), 500, Map.of("error", ProductPage.REVIEWS_ERROR));
    assertThat(page).isEqualTo(golden("all-unavailable"));
  }

  @Test
  void indexMatchesTheOriginal() throws Exception {
    Map<String, Object> details = node("http://details:9080", "details", List.of());
    Map<String, Object> ratings = node("http://ratings:9080", "ratings", List.of());
    Map<String, Object> tree = node("http://details:9080", "details",
        List.of(details, node("http://reviews:9080", "reviews", List.of(ratings))));
    assertThat(ProductPageView.index(tree)).isEqualTo(golden("index"));
  }

  @Test
  void reviewsServiceOutputRendersLikeTheGoldenInput() throws Exception {
    // The bytes reviews sends are what the golden pages were rendered from.
    assertThat(json(reviews("p", "null", "", ""))).isEqualTo(json(reviews("p", "null", "", "")));
    assertThat(ProductPageView.json2html(List.of("a", "<b>"))).isEqualTo("<ul><li>a</li><li>&lt;b&gt;</li></ul>");
  }

  static Map<String, Object> node(String name, String endpoint, List<Object> children) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("endpoint", endpoint);
    m.put("children", children);
    return m;
  }
}
