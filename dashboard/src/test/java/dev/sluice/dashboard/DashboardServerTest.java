package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.Resource;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardServerTest {
  //language=YAML
  static final String CONFIG = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: reviews
        namespace: bookinfo
      spec:
        hosts:
        - reviews
        http:
        - route:
          - destination:
              host: reviews
              subset: v1
            weight: 80
          - destination:
              host: reviews
              subset: v2
            weight: 20
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: reviews
        namespace: bookinfo
      spec:
        ports:
        - port: 9080
          name: http
        selector:
          app: reviews
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: ratings-bogus
        namespace: bookinfo
      spec:
        hosts:
        - ratings
        http:
        - route:
          - destination:
              host: ratings.bogus
      """;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  private SyntheticMesh mesh;
  private EmbeddedScraper scraper;
  private DashboardServer server;

  static List<Resource> bookinfoConfig() {
    return new ConfigLoader().load("bookinfo.yaml", new StringReader(CONFIG)).resources();
  }

  @BeforeEach
  void setUp() throws Exception {
    Instant start = clock.instant();
    mesh = new SyntheticMesh(SyntheticMesh.bookinfo8020(),
        () -> Duration.between(start, clock.instant()).toMillis() / 1000.0);
    scraper = new EmbeddedScraper(mesh::targets, clock, Duration.ofHours(1), Duration.ofSeconds(15), 10_000);
    for (int i = 0; i <= 20; i++) {
      scraper.scrapeOnce();
      clock.advance(Duration.ofSeconds(15));
    }
    server = DashboardServer.start(0, scraper, ConfigView.analyzing(DashboardServerTest::bookinfoConfig));
  }

  @AfterEach
  void tearDown() {
    server.close();
    scraper.close();
    mesh.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void graphApi() throws Exception {
    JsonNode g = json("/api/graph?namespace=bookinfo&view=versionedApp&window=5m");
    assertThat(g.path("view").asText()).isEqualTo("versionedApp");
    JsonNode v2 = null;
    for (JsonNode e : g.path("edges")) {
      if (e.path("target").asText().equals("app:bookinfo/reviews/v2")) {
        v2 = e;
      }
    }
    assertThat(v2).isNotNull();
    assertThat(v2.path("rps").asDouble()).isCloseTo(2, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(v2.path("health").asText()).isEqualTo("HEALTHY");
    assertThat(json("/api/graph?view=workload&window=1m").path("nodes").size()).isEqualTo(6);
  }

  @Test
  void edgeAndNodeHistories() throws Exception {
    String id = URLEncoder.encode("app:bookinfo/productpage/v1->app:bookinfo/reviews/v1", StandardCharsets.UTF_8);
    JsonNode h = json("/api/edge?window=5m&id=" + id);
    assertThat(h.path("points").size()).isEqualTo(GraphReader.POINTS);
    JsonNode last = h.path("points").get(GraphReader.POINTS - 1);
    assertThat(last.path("rps").asDouble()).isCloseTo(8, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(last.path("codes").path("200").asDouble()).isCloseTo(8, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(last.path("p95Millis").asDouble()).isCloseTo(9.75, org.assertj.core.api.Assertions.within(1e-6));

    JsonNode node = json("/api/node?window=5m&id=" + URLEncoder.encode("app:bookinfo/ratings/v1", StandardCharsets.UTF_8));
    JsonNode p = node.path("points").get(GraphReader.POINTS - 1);
    assertThat(p.path("codes").path("503").asDouble()).isCloseTo(0.04, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(p.path("errorPercent").asDouble()).isCloseTo(2, org.assertj.core.api.Assertions.within(1e-6));
  }

  @Test
  void configWithFindingsBesideTheirResource() throws Exception {
    JsonNode c = json("/api/config");
    assertThat(c.path("resources").size()).isEqualTo(3);
    JsonNode bogus = c.path("resources").get(1);
    assertThat(bogus.path("name").asText()).isEqualTo("ratings-bogus");
    assertThat(bogus.path("findings").toString()).contains("IST0101", "ratings.bogus");
    assertThat(bogus.path("yaml").asText()).contains("kind: VirtualService", "host: ratings.bogus");
  }

  @Test
  void assetsAndErrors() throws Exception {
    assertThat(get("/").body()).contains("cytoscape.min.js", "Istio config");
    assertThat(get("/lib/cytoscape.min.js").body()).contains("cytoscape");
    assertThat(get("/ui/app.js").statusCode()).isEqualTo(200);
    assertThat(get("/api/namespaces").body()).isEqualTo("[\"bookinfo\",\"istio-system\"]");
    HttpResponse<String> bad = get("/api/graph?window=2h");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("window: 2h (expected: one of [1m, 5m, 10m, 30m, 1h])");
    assertThat(get("/api/graph?view=nodes").statusCode()).isEqualTo(400);
    assertThat(get("/api/edge").statusCode()).isEqualTo(400);
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(json("/api/status").path("metrics").asText()).startsWith("embedded scraper: 6 targets");
  }
}
