package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's) discovers in-test proxies through http_sd_configs served by
 * {@link PrometheusSd}, scrapes them, and {@link PrometheusSource} running Kiali's queries gives
 * the same edges and shares as the {@link EmbeddedScraper} window over the same proxies.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PrometheusConformanceTest {
  @TempDir Path dir;
  private SyntheticMesh mesh;
  private HttpServer sd;
  private Process prometheus;

  @AfterEach
  void tearDown() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (sd != null) {
      sd.stop(0);
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void prometheusAndEmbeddedWindowAgree() throws Exception {
    Path binary = ExternalTools.require("prometheus", "/usr/bin/prometheus");
    long t0 = System.nanoTime();
    // Real time: counters grow at the flows' rates from now on.
    mesh = new SyntheticMesh(SyntheticMesh.bookinfo8020(), () -> (System.nanoTime() - t0) / 1e9);
    sd = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    sd.createContext("/debug/prometheus_sd", ex -> {
      byte[] body = PrometheusSd.render(mesh.targets()).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    sd.start();
    int port = ExternalTools.freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, prometheusYml("http://127.0.0.1:" + sd.getAddress().getPort() + "/debug/prometheus_sd"));
    prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    URI base = URI.create("http://127.0.0.1:" + port);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .until(() -> ready(base));

    PrometheusSource source = new PrometheusSource(base);
    GraphReader fromPrometheus = new GraphReader(source);
    TrafficQuery all = TrafficQuery.of(Duration.ofMinutes(1), Instant.now());
    // Prometheus needs two scrapes of every target (scrape interval 1 s) before rate() answers.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> fromPrometheus.graph(GraphView.VERSIONED_APP, all.withWindow(all.window(), Instant.now()))
            .edges().size() == 5);
    Graph p = fromPrometheus.graph(GraphView.VERSIONED_APP,
        new TrafficQuery(Duration.ofMinutes(1), Instant.now(), Set.of("bookinfo")));

    EmbeddedScraper scraper = new EmbeddedScraper(mesh::targets);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          scraper.scrapeOnce();
          return new GraphReader(scraper).graph(GraphView.VERSIONED_APP, TrafficQuery.of(Duration.ofMinutes(1),
              scraper.now())).edges().size() == 5;
        });
    Graph e = new GraphReader(scraper).graph(GraphView.VERSIONED_APP,
        new TrafficQuery(Duration.ofMinutes(1), scraper.now(), Set.of("bookinfo")));

    assertThat(shares(p).keySet()).isEqualTo(shares(e).keySet()).contains(
        "app:bookinfo/productpage/v1->app:bookinfo/reviews/v1", "app:bookinfo/productpage/v1->app:bookinfo/reviews/v2",
        "app:bookinfo/productpage/v1->app:bookinfo/details/v1", "app:bookinfo/reviews/v2->app:bookinfo/ratings/v1");
    shares(p).forEach((id, share) -> assertThat(share).as(id).isCloseTo(shares(e).get(id), within(1.0)));
    for (Graph g : new Graph[] {p, e}) {
      double v1 = g.edge("app:bookinfo/productpage/v1", "app:bookinfo/reviews/v1").orElseThrow().rps();
      double v2 = g.edge("app:bookinfo/productpage/v1", "app:bookinfo/reviews/v2").orElseThrow().rps();
      assertThat(100 * v1 / (v1 + v2)).as("reviews v1 share").isCloseTo(80, within(1.0));
      assertThat(g.edge("app:bookinfo/productpage/v1", "app:bookinfo/reviews/v1").orElseThrow().p95Millis())
          .as("p95").isCloseTo(9.75, within(0.01));
    }
  }

  static String prometheusYml(String sdUrl) {
    //language=YAML
    return """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: sluice-mesh
            http_sd_configs:
              - url: %s
                refresh_interval: 1s
        """.formatted(sdUrl);
  }

  private static Map<String, Double> shares(Graph g) {
    Map<String, Double> out = new TreeMap<>();
    g.edges().forEach(e -> out.put(e.id(), e.sharePercent()));
    return out;
  }

  private static boolean ready(URI base) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
  }
}
