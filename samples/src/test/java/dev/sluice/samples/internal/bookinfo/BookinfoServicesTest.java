package dev.sluice.samples.internal.bookinfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.samples.PodInfo;
import dev.sluice.samples.SampleContext;
import dev.sluice.samples.internal.http.Outbound;
import dev.sluice.samples.internal.http.Request;
import dev.sluice.samples.internal.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** details, reviews (v1) and ratings answers, byte for byte. */
class BookinfoServicesTest {

  static SampleContext ctx(Map<String, String> env) {
    return SampleContext.builder(PodInfo.named("pod-1")).env(env).log(l -> { }).build();
  }

  static Request req(String method, String uri, String body) {
    Request get = Request.get(uri, Map.of());
    return new Request(method, get.path(), get.rawQuery(), Map.of(), body.getBytes(StandardCharsets.UTF_8),
        get.remote(), "HTTP/1.1");
  }

  @Test
  void details() throws Exception {
    try (Outbound out = Outbound.fromEnv(Map.of())) {
      Details d = new Details(ctx(Map.of()), out);
      Response ok = d.handle(Request.get("/details/0", Map.of()));
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.bodyText()).isEqualTo("{\"id\":0,\"author\":\"William Shakespeare\",\"year\":1595,"
          + "\"type\":\"paperback\",\"pages\":200,\"publisher\":\"PublisherA\",\"language\":\"English\","
          + "\"ISBN-10\":\"1234567890\",\"ISBN-13\":\"123-1234567890\"}");
      Response bad = d.handle(Request.get("/details/abc", Map.of()));
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.bodyText()).isEqualTo("{\"error\":\"please provide numeric product id\"}");
      assertThat(d.handle(Request.get("/health", Map.of())).bodyText()).isEqualTo("{\"status\":\"Details is healthy\"}");
      assertThat(d.handle(Request.get("/nope", Map.of())).status()).isEqualTo(404);
    }
  }

  @Test
  void reviewsV1NeverCallsRatings() throws Exception {
    try (Outbound out = Outbound.fromEnv(Map.of("http_proxy", "http://127.0.0.1:1"))) {
      Reviews r = new Reviews(ctx(Map.of("HOSTNAME", "reviews-v1-abc", "ENABLE_RATINGS", "false")), out);
      Response ok = r.handle(Request.get("/reviews/0", Map.of()));
      assertThat(ok.bodyText()).isEqualTo("{\"id\": \"0\",\"podname\": \"reviews-v1-abc\",\"clustername\": \"null\","
          + "\"reviews\": [{  \"reviewer\": \"Reviewer1\",  \"text\": \"An extremely entertaining play by "
          + "Shakespeare. The slapstick humour is refreshing!\"},{  \"reviewer\": \"Reviewer2\",  \"text\": "
          + "\"Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by "
          + "Shakespeare.\"}]}");
      assertThat(r.handle(Request.get("/health", Map.of())).bodyText()).isEqualTo("{\"status\": \"Reviews is healthy\"}");
      assertThat(r.handle(Request.get("/reviews/x", Map.of())).status()).isEqualTo(404);
    }
  }

  @Test
  void reviewsWithRatingsDownReportsTheErrorPerReview() throws Exception {
    try (Outbound out = Outbound.fromEnv(Map.of("http_proxy", "http://127.0.0.1:1"))) {
      Reviews r = new Reviews(ctx(Map.of("HOSTNAME", "reviews-v3-x", "ENABLE_RATINGS", "true",
          "STAR_COLOR", "red", "CLUSTER_NAME", "Kubernetes")), out);
      String body = r.handle(Request.get("/reviews/0", Map.of())).bodyText();
      assertThat(body).contains("\"clustername\": \"Kubernetes\"")
          .contains("Shakespeare.\", \"rating\": {\"error\": \"Ratings service is currently unavailable\"}}]}");
    }
  }

  @Test
  void ratings() throws Exception {
    Ratings r = new Ratings(ctx(Map.of("SERVICE_VERSION", "v1")), System::currentTimeMillis);
    assertThat(r.handle(Request.get("/ratings/0", Map.of())).bodyText())
        .isEqualTo("{\"id\":0,\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}");
    Response bad = r.handle(Request.get("/ratings/abc", Map.of()));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.bodyText()).isEqualTo("{\"error\":\"please provide numeric product ID\"}");
    assertThat(r.handle(Request.get("/health", Map.of())).bodyText()).isEqualTo("{\"status\":\"Ratings is healthy\"}");
    Response posted = r.handle(req("POST", "/ratings/1", "{\"Reviewer1\":1,\"Reviewer2\":2.5}"));
    assertThat(posted.bodyText()).isEqualTo("{\"id\":1,\"ratings\":{\"Reviewer1\":1,\"Reviewer2\":2.5}}");
    assertThat(r.handle(Request.get("/ratings/1", Map.of())).bodyText()).isEqualTo(posted.bodyText());
    assertThat(r.handle(req("POST", "/ratings/1", "{not json")).status()).isEqualTo(400);
  }

  @Test
  void ratingsV2WithoutADatabase() throws Exception {
    Ratings mongo = new Ratings(ctx(Map.of("SERVICE_VERSION", "v2", "MONGO_DB_URL", "mongodb://127.0.0.1:1/test")),
        System::currentTimeMillis);
    Response m = mongo.handle(Request.get("/ratings/0", Map.of()));
    assertThat(m.status()).isEqualTo(500);
    assertThat(m.bodyText()).isEqualTo("{\"error\":\"could not connect to ratings database\"}");
    Ratings mysql = new Ratings(ctx(Map.of("SERVICE_VERSION", "v2", "DB_TYPE", "mysql",
        "MYSQL_DB_HOST", "127.0.0.1", "MYSQL_DB_PORT", "1")), System::currentTimeMillis);
    assertThat(mysql.handle(Request.get("/ratings/0", Map.of())).status()).isEqualTo(200); // as the original
    assertThat(mysql.handle(req("POST", "/ratings/0", "{}")).status()).isEqualTo(501);
  }

  @Test
  void ratingsUnavailableFlipsEveryMinute() throws Exception {
    AtomicLong now = new AtomicLong(0);
    Ratings r = new Ratings(ctx(Map.of("SERVICE_VERSION", "v-unavailable")), now::get);
    assertThat(r.handle(Request.get("/ratings/0", Map.of())).status()).isEqualTo(200);
    now.set(61_000);
    Response down = r.handle(Request.get("/ratings/0", Map.of()));
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.bodyText()).isEqualTo("{\"error\":\"Service unavailable\"}");
  }

  @Test
  void traceHeadersAsProductpageForwardsThem() {
    Request in = Request.get("/productpage", Map.of(
        "x-b3-traceid", List.of("463ac35c9f6413ad"), "x-b3-spanid", List.of("a2fb4a1d1a96d312"),
        "x-b3-parentspanid", List.of("0020000000000001"), "x-b3-flags", List.of("1"),
        "user-agent", List.of("curl/8.16.0"), "cookie", List.of("session=x")));
    assertThat(TraceHeaders.productpage(in, "jason")).containsExactly(
        Map.entry("x-b3-traceid", "0000000000000000463ac35c9f6413ad"),
        Map.entry("x-b3-spanid", "a2fb4a1d1a96d312"),
        Map.entry("x-b3-sampled", "1"),
        Map.entry("end-user", "jason"),
        Map.entry("user-agent", "curl/8.16.0"),
        Map.entry("cookie", "session=x"));
  }
}
