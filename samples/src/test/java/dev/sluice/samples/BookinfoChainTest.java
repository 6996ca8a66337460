package dev.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bookinfo chained together without a mesh: productpage → details/reviews → ratings, every
 * outbound call going through a forward proxy named by {@code http_proxy} (as through a sidecar),
 * addressed by service name ({@code reviews:9080}, which no DNS knows).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BookinfoChainTest {

  static final String STAR = "glyphicon glyphicon-star";
  static ForwardProxy proxy;
  static final List<RunningSample> running = new ArrayList<>();
  static RunningSample productpage;
  static RunningSample reviewsV1;
  static RunningSample reviewsV2;
  static RunningSample reviewsV3;
  static RunningSample ratings;
  static RunningSample details;

  @BeforeAll
  static void start() throws Exception {
    proxy = new ForwardProxy();
    details = start("details-v1", "details-v1-7d6cc5f9c-abcde");
    ratings = start("ratings-v1", "ratings-v1-5f6f8b8d7-fghij");
    reviewsV1 = start("reviews-v1", "reviews-v1-6c8f9b7d4-v1pod");
    reviewsV2 = start("reviews-v2", "reviews-v2-5b8f7c9d4-v2pod");
    reviewsV3 = start("reviews-v3", "reviews-v3-7b9c8d6f5-v3pod");
    productpage = start("productpage", "productpage-v1-6b746f74dc-klmno");
  }

  static RunningSample start(String name, String pod) throws Exception {
    RunningSample r = SampleCatalog.forName(name).orElseThrow().start(
        SampleContext.builder(PodInfo.named(pod))
            .port(9080, 0)
            .env("HOSTNAME", pod)
            .env("http_proxy", proxy.url())
            .log(line -> { })
            .build());
    running.add(r);
    return r;
  }

  @AfterAll
  static void stop() {
    running.forEach(RunningSample::close);
    proxy.close();
  }

  @BeforeEach
  void routes() {
    proxy.seen.clear();
    proxy.route("details:9080", details.port()).route("ratings:9080", ratings.port());
  }

  String page(String... headers) throws Exception {
    HttpResponse<String> r = Http.get("http://127.0.0.1:" + productpage.port() + "/productpage", headers);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("<title>Simple Bookstore App</title>");
    return r.body();
  }

  @Test
  void reviewsV1ShowsNoStars() throws Exception {
    proxy.route("reviews:9080", reviewsV1.port());
    String page = page();
    assertThat(page).doesNotContain(STAR).contains("Reviews served by: \n                  reviews-v1-6c8f9b7d4-v1pod")
        .contains("PublisherA").contains("Sign in");
    assertThat(proxy.seen("ratings")).isEmpty();
  }

  @Test
  void reviewsV2ShowsBlackStarsAndV3Red() throws Exception {
    proxy.route("reviews:9080", reviewsV2.port());
    String black = page();
    assertThat(black).contains("text-black-500").contains(STAR).doesNotContain("text-red-500\">");
    assertThat(black.split(STAR, -1)).hasSize(10); // 5 + 4 filled stars
    proxy.route("reviews:9080", reviewsV3.port());
    String red = page();
    assertThat(red).contains("<div class=\"flex gap-x-1 text-red-500\">").contains(STAR);
  }

  @Test
  void loginSetsSessionAndEndUserReachesReviewsAndRatings() throws Exception {
    proxy.route("reviews:9080", reviewsV2.port());
    String base = "http://127.0.0.1:" + productpage.port();
    HttpResponse<String> login = Http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Referer", base + "/productpage")
        .POST(HttpRequest.BodyPublishers.ofString("username=jason&passwd=secret")));
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().firstValue("location")).hasValue(base + "/productpage");
    String setCookie = login.headers().firstValue("set-cookie").orElseThrow();
    assertThat(setCookie).startsWith("session=eyJ1c2VyIjoiamFzb24ifQ.").endsWith("; HttpOnly; Path=/");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    String page = page("Cookie", cookie, "x-request-id", "req-1",
        "x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7", "x-b3-spanid", "e457b5a2e4d86bd1",
        "x-b3-sampled", "1");
    assertThat(page).contains("<p class=\"text-base font-medium text-gray-50\">jason</p>")
        .contains("Sign out").contains(STAR);
    ForwardProxy.Seen toReviews = proxy.seen("reviews").getFirst();
    assertThat(toReviews.header("end-user")).isEqualTo("jason");
    assertThat(toReviews.header("x-request-id")).isEqualTo("req-1");
    assertThat(toReviews.header("x-b3-traceid")).isEqualTo("80f198ee56343ba864fe8b2a57d3eff7");
    assertThat(toReviews.header("x-b3-sampled")).isEqualTo("1");
    ForwardProxy.Seen toRatings = proxy.seen("ratings").getFirst();
    assertThat(toRatings.path()).isEqualTo("/ratings/0");
    assertThat(toRatings.header("end-user")).isEqualTo("jason");
    assertThat(toRatings.header("x-request-id")).isEqualTo("req-1");

    HttpResponse<String> logout = Http.get(base + "/logout", "Cookie", cookie, "Referer", base + "/productpage");
    assertThat(logout.statusCode()).isEqualTo(302);
    assertThat(logout.headers().firstValue("set-cookie")).hasValue(
        "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/");
  }

  @Test
  void anonymousSendsNoEndUser() throws Exception {
    proxy.route("reviews:9080", reviewsV2.port());
    page();
    assertThat(proxy.seen("reviews").getFirst().header("end-user")).isNull();
  }

  @Test
  void reviewsUnavailableShowsTheSorryTextAfterTwoAttempts() throws Exception {
    proxy.route("reviews:9080", -1); // the proxy answers 503 no healthy upstream
    String page = page();
    assertThat(page).contains("<p class=\"text-2xl text-red-500\">Error fetching product reviews</p>")
        .contains("Sorry, product reviews are currently unavailable for this book.")
        .contains("PublisherA");
    assertThat(proxy.seen("reviews")).hasSize(2);
  }

  @Test
  void ratingsUnavailableShowsTheRatingsError() throws Exception {
    proxy.route("reviews:9080", reviewsV3.port()).route("ratings:9080", -1);
    String page = page();
    assertThat(page).contains("<p class=\"text-red-500\">Ratings service is currently unavailable</p>")
        .doesNotContain(STAR);
  }

  @Test
  void detailsUnavailable() throws Exception {
    proxy.route("reviews:9080", reviewsV1.port()).route("details:9080", -1);
    assertThat(page()).contains("Error fetching product details")
        .contains("Sorry, product details are currently unavailable for this book.");
  }

  @Test
  void jsonApi() throws Exception {
    proxy.route("reviews:9080", reviewsV2.port());
    String base = "http://127.0.0.1:" + productpage.port();
    HttpResponse<String> products = Http.get(base + "/api/v1/products");
    assertThat(products.body()).startsWith("[{\"id\": 0, \"title\": \"The Comedy of Errors\", "
        + "\"descriptionHtml\": \"<a href=\\\"https://en.wikipedia.org/wiki/The_Comedy_of_Errors\\\">");
    assertThat(Http.get(base + "/api/v1/products/0").body()).isEqualTo(
        "{\"id\": 0, \"author\": \"William Shakespeare\", \"year\": 1595, \"type\": \"paperback\", "
            + "\"pages\": 200, \"publisher\": \"PublisherA\", \"language\": \"English\", "
            + "\"ISBN-10\": \"1234567890\", \"ISBN-13\": \"123-1234567890\"}");
    assertThat(Http.get(base + "/api/v1/products/0/ratings").body())
        .isEqualTo("{\"id\": 0, \"ratings\": {\"Reviewer1\": 5, \"Reviewer2\": 4}}");
    assertThat(Http.get(base + "/api/v1/products/0/reviews").body())
        .startsWith("{\"id\": \"0\", \"podname\": \"reviews-v2-5b8f7c9d4-v2pod\", \"clustername\": \"null\", ")
        .contains("\"rating\": {\"stars\": 5, \"color\": \"black\"}");
    proxy.route("details:9080", -1);
    HttpResponse<String> failed = Http.get(base + "/api/v1/products/0");
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(failed.body()).isEqualTo(
        "{\"error\": \"Sorry, product details are currently unavailable for this book.\"}");
    assertThat(Http.get(base + "/health").body()).isEqualTo("Product page is healthy");
    assertThat(Http.get(base + "/metrics").body()).contains("request_result_total{destination_app=\"details\"");
  }

  @Test
  void reviewsV3GivesUpOnASlowRatingsAfterTwoAndAHalfSeconds() throws Exception {
    // Accepts connections (the backlog does) but never answers.
    var hanging = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
    try (hanging) {
      proxy.route("ratings:9080", hanging.getLocalPort()).route("reviews:9080", reviewsV3.port());
      long start = System.nanoTime();
      HttpResponse<String> r = Http.get("http://127.0.0.1:" + reviewsV3.port() + "/reviews/0");
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(r.body()).contains("\"rating\": {\"error\": \"Ratings service is currently unavailable\"}");
      assertThat(seconds).isBetween(2.4, 8.0);
    }
  }

  @Test
  void envOverridesReachUpstreamsWithoutAProxy() throws Exception {
    RunningSample pp = SampleCatalog.forName("productpage").orElseThrow().start(
        SampleContext.builder(PodInfo.named("productpage-direct"))
            .port(9080, 0)
            .env(Map.of("DETAILS_HOSTNAME", "127.0.0.1", "DETAILS_SERVICE_PORT", String.valueOf(details.port()),
                "REVIEWS_HOSTNAME", "127.0.0.1", "REVIEWS_SERVICE_PORT", String.valueOf(reviewsV1.port())))
            .log(line -> { })
            .build());
    try (pp) {
      String body = Http.get("http://127.0.0.1:" + pp.port() + "/productpage").body();
      assertThat(body).contains("PublisherA").contains("reviews-v1-6c8f9b7d4-v1pod").doesNotContain(STAR);
      String index = Http.get("http://127.0.0.1:" + pp.port() + "/").body();
      assertThat(index).contains("<th>name</th><td>http://127.0.0.1:" + details.port() + "</td>");
    }
  }
}
