package dev.sluice.platform.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A pod's agent port, what Istio's pilot-agent serves on 15020, here on a free port of 127.0.0.1:
 * <ul>
 *   <li>{@code GET /stats/prometheus}: the merged metrics — the sidecar's ({@code istio_*} and
 *       Envoy-style stats, as on its 15090) followed by the app's when the pod template asks for
 *       the app to be scraped ({@code prometheus.io/scrape: "true"}, {@code prometheus.io/port},
 *       {@code prometheus.io/path}, default {@code /metrics}), as Istio's metrics merging does. An
 *       app that does not answer within 2 s leaves only the sidecar's part;
 *   <li>{@code GET /healthz/ready}: 200 once the pod is ready, 503 before.
 * </ul>
 */
final class AgentEndpoint implements AutoCloseable {
  static final String SCRAPE = "prometheus.io/scrape";
  static final String PORT = "prometheus.io/port";
  static final String PATH = "prometheus.io/path";

  private final HttpServer server;
  private final HttpClient client;

  private AgentEndpoint(HttpServer server, HttpClient client) {
    this.server = server;
    this.client = client;
  }

  /**
   * Where the app's metrics are, from the pod's annotations ({@code prometheus.io/*}) and its
   * container port → app port map; empty when the pod does not ask to be scraped.
   */
  static Optional<URI> appMetrics(Map<String, String> annotations, Map<Integer, Integer> appPorts) {
    if (!"true".equalsIgnoreCase(annotations.getOrDefault(SCRAPE, ""))) {
      return Optional.empty();
    }
    Integer port;
    try {
      int declared = Integer.parseInt(annotations.getOrDefault(PORT, "").trim());
      port = appPorts.getOrDefault(declared, null);
    } catch (NumberFormatException e) {
      port = appPorts.size() == 1 ? appPorts.values().iterator().next() : null;
    }
    if (port == null) {
      return Optional.empty();
    }
    String path = annotations.getOrDefault(PATH, "/metrics");
    return Optional.of(URI.create("http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path)));
  }

  /** Serves on 127.0.0.1:{@code port} (0: a free one). */
  static AgentEndpoint start(int port, Supplier<String> proxyMetrics, @Nullable URI appMetrics, BooleanSupplier ready)
      throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    AgentEndpoint agent = new AgentEndpoint(s, client);
    s.createContext("/stats/prometheus", ex -> agent.metrics(ex, proxyMetrics, appMetrics));
    s.createContext("/healthz/ready", ex -> {
      try (ex) {
        send(ex, ready.getAsBoolean() ? 200 : 503, "");
      }
    });
    s.start();
    return agent;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void metrics(HttpExchange ex, Supplier<String> proxyMetrics, @Nullable URI app) throws IOException {
    try (ex) {
      StringBuilder b = new StringBuilder(proxyMetrics.get());
      if (app != null) {
        String appText = scrape(app);
        if (appText != null) {
          if (!b.isEmpty() && b.charAt(b.length() - 1) != '\n') {
            b.append('\n');
          }
          b.append(appText);
        }
      }
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      send(ex, 200, b.toString());
    }
  }

  private @Nullable String scrape(URI app) {
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(app).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    client.close();
  }
}
