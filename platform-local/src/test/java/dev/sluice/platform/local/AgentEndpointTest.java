package dev.sluice.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AgentEndpointTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void appMetricsFollowPrometheusAnnotationsAndTheContainerPortMap() {
    Map<Integer, Integer> ports = Map.of(9080, 24001, 8080, 24002);
    assertThat(AgentEndpoint.appMetrics(Map.of(), ports)).isEmpty();
    assertThat(AgentEndpoint.appMetrics(Map.of("prometheus.io/scrape", "false", "prometheus.io/port", "9080"), ports))
        .isEmpty();
    assertThat(AgentEndpoint.appMetrics(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "9080"), ports))
        .contains(URI.create("http://127.0.0.1:24001/metrics"));
    assertThat(AgentEndpoint.appMetrics(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "8080",
        "prometheus.io/path", "stats"), ports)).contains(URI.create("http://127.0.0.1:24002/stats"));
    // A port the pod does not have: nothing to scrape.
    assertThat(AgentEndpoint.appMetrics(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "7000"), ports))
        .isEmpty();
    // No port annotation: the only container port.
    assertThat(AgentEndpoint.appMetrics(Map.of("prometheus.io/scrape", "true"), Map.of(5000, 24003)))
        .contains(URI.create("http://127.0.0.1:24003/metrics"));
  }

  @Test
  void mergesTheSidecarsMetricsWithTheAppsAndReportsReadiness() throws Exception {
    HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    app.createContext("/metrics", ex -> {
      byte[] body = "# TYPE app_orders_total counter\napp_orders_total 7\n".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    app.start();
    AtomicBoolean ready = new AtomicBoolean();
    URI appUri = URI.create("http://127.0.0.1:" + app.getAddress().getPort() + "/metrics");
    try (AgentEndpoint agent = AgentEndpoint.start(0, () -> "istio_requests_total{reporter=\"destination\"} 3",
        appUri, ready::get)) {
      String base = "http://127.0.0.1:" + agent.port();
      HttpResponse<String> m = get(base + "/stats/prometheus");
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.body()).isEqualTo(
          "istio_requests_total{reporter=\"destination\"} 3\n# TYPE app_orders_total counter\napp_orders_total 7\n");
      assertThat(get(base + "/healthz/ready").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(base + "/healthz/ready").statusCode()).isEqualTo(200);
      // The app gone: the sidecar's part alone.
      app.stop(0);
      assertThat(get(base + "/stats/prometheus").body()).isEqualTo("istio_requests_total{reporter=\"destination\"} 3");
    } finally {
      app.stop(0);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
