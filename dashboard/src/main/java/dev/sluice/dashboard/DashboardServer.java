package dev.sluice.dashboard;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The dashboard's HTTP server (sluiced serves it on 127.0.0.1:20001): the single-page UI, the
 * graph library from its WebJar, and a JSON API.
 *
 * <pre>{@code
 * GET /api/graph?namespace=bookinfo&view=versionedApp&window=5m    nodes and edges (Graph)
 * GET /api/edge?id=SRC->DST&namespace=…&view=…&window=…             history of one edge
 * GET /api/node?id=NODE&namespace=…&view=…&window=…                 history of one node
 * GET /api/namespaces                                              namespaces with traffic
 * GET /api/config                                                  resources, YAML, findings
 * GET /api/status                                                  where the metrics come from
 * }</pre>
 *
 * <pre>{@code
 * try (DashboardServer d = DashboardServer.start(0, scraper, ConfigView.analyzing(store::all))) {
 *   URI ui = d.uri();
 * }
 * }</pre>
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger log = Logger.getLogger(DashboardServer.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The windows the UI offers (Kiali's duration dropdown, cut at the embedded retention). */
  public static final Map<String, Duration> WINDOWS = windows();
  private static final String UI = "dev/sluice/dashboard/ui/";

  private final HttpServer server;
  private final ExecutorService executor;
  private final GraphReader reader;
  private final ConfigView config;
  private final String cytoscapePath;

  private DashboardServer(HttpServer server, ExecutorService executor, MetricsSource source, ConfigView config) {
    this.server = server;
    this.executor = executor;
    this.reader = new GraphReader(source);
    this.config = config;
    this.cytoscapePath = "META-INF/resources/webjars/cytoscape/" + cytoscapeVersion() + "/dist/cytoscape.min.js";
  }

  /** Starts serving on 127.0.0.1:{@code port} (0 picks a free port). */
  public static DashboardServer start(int port, MetricsSource source, ConfigView config) throws IOException {
    requireNonNull(source, "source");
    requireNonNull(config, "config");
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    http.setExecutor(executor);
    DashboardServer d = new DashboardServer(http, executor, source, config);
    http.createContext("/", d::handle);
    http.start();
    return d;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT/}. */
  public java.net.URI uri() {
    return java.net.URI.create("http://127.0.0.1:" + port() + "/");
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        send(ex, 405, "text/plain", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      try {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        switch (path) {
          case "/", "/index.html" -> resource(ex, UI + "index.html", "text/html; charset=utf-8");
          case "/ui/app.js" -> resource(ex, UI + "app.js", "text/javascript; charset=utf-8");
          case "/ui/app.css" -> resource(ex, UI + "app.css", "text/css; charset=utf-8");
          case "/lib/cytoscape.min.js" -> resource(ex, cytoscapePath, "text/javascript; charset=utf-8");
          case "/api/graph" -> json(ex, reader.graph(view(q), trafficQuery(q)));
          case "/api/edge", "/api/node" -> json(ex, Map.of("id", required(q, "id"),
              "points", reader.history(view(q), trafficQuery(q), required(q, "id"))));
          case "/api/namespaces" -> json(ex, reader.namespaces());
          case "/api/config" -> json(ex, config.snapshot());
          case "/api/status" -> json(ex, Map.of("metrics", reader.source().describe(),
              "now", reader.source().now().toEpochMilli(), "windows", WINDOWS.keySet()));
          default -> send(ex, 404, "text/plain", ("not found: " + path + "\n").getBytes(StandardCharsets.UTF_8));
        }
      } catch (IllegalArgumentException e) {
        json(ex, 400, Map.of("error", e.getMessage()));
      } catch (RuntimeException e) {
        log.log(Level.WARNING, "dashboard " + path + " failed", e);
        json(ex, 502, Map.of("error", String.valueOf(e.getMessage())));
      }
    }
  }

  private static GraphView view(Map<String, String> q) {
    return GraphView.parse(q.getOrDefault("view", GraphView.VERSIONED_APP.id()));
  }

  private TrafficQuery trafficQuery(Map<String, String> q) {
    String w = q.getOrDefault("window", "5m");
    Duration window = WINDOWS.get(w);
    if (window == null) {
      throw new IllegalArgumentException("window: " + w + " (expected: one of " + WINDOWS.keySet() + ")");
    }
    Set<String> namespaces = Arrays.stream(q.getOrDefault("namespace", "").split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    return new TrafficQuery(window, reader.source().now(), namespaces);
  }

  private static String required(Map<String, String> q, String name) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(name + ": missing (expected: a query parameter)");
    }
    return v;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String part : raw.split("&")) {
      int eq = part.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static void resource(HttpExchange ex, String name, String type) throws IOException {
    try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        send(ex, 404, "text/plain", ("missing resource " + name + "\n").getBytes(StandardCharsets.UTF_8));
        return;
      }
      send(ex, 200, type, in.readAllBytes());
    }
  }

  private static void json(HttpExchange ex, Object body) throws IOException {
    json(ex, 200, body);
  }

  private static void json(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json", JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      ex.getResponseBody().write(body);
    }
  }

  private static String cytoscapeVersion() {
    try (InputStream in = DashboardServer.class.getResourceAsStream("versions.properties")) {
      Properties p = new Properties();
      p.load(requireNonNull(in, "versions.properties"));
      return p.getProperty("cytoscape.version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Duration> windows() {
    Map<String, Duration> m = new LinkedHashMap<>();
    m.put("1m", Duration.ofMinutes(1));
    m.put("5m", Duration.ofMinutes(5));
    m.put("10m", Duration.ofMinutes(10));
    m.put("30m", Duration.ofMinutes(30));
    m.put("1h", Duration.ofHours(1));
    return java.util.Collections.unmodifiableMap(m);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
