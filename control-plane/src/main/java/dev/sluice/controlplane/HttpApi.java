package dev.sluice.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LoadResult;
import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.registry.ApplyResult;
import dev.sluice.registry.InMemoryConfigStore;
import dev.sluice.registry.InMemoryServiceRegistry;
import dev.sluice.xds.ProxyStatus;
import dev.sluice.xds.XdsServer;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * sluiced's HTTP API (port 15014), used by the CLI:
 * <ul>
 *   <li>{@code GET /apis/config}: stored Istio objects (JSON list); {@code POST /apis/config}: apply
 *       a YAML stream (kubectl-style lines; 422 when an object is rejected); {@code DELETE
 *       /apis/config/<Kind>/<namespace>/<name>}
 *   <li>{@code GET /debug/syncz}: per proxy CDS/LDS/EDS/RDS status (JSON)
 *   <li>{@code GET /debug/config_dump?proxy=<id>}: what a proxy was last sent (Envoy's config_dump shape)
 *   <li>{@code GET /debug/registryz}: services and instances
 *   <li>{@code GET /metrics}: Prometheus text; {@code GET /ready}
 * </ul>
 */
final class HttpApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final InMemoryConfigStore store;
  private final InMemoryServiceRegistry registry;
  private final XdsServer xds;

  HttpApi(InetSocketAddress address, InMemoryConfigStore store, InMemoryServiceRegistry registry, XdsServer xds)
      throws IOException {
    this.store = store;
    this.registry = registry;
    this.xds = xds;
    server = HttpServer.create(address, 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      switch (path) {
        case "/ready", "/healthz/ready" -> reply(ex, 200, "text/plain", "ok\n");
        case "/metrics" -> reply(ex, 200, "text/plain; version=0.0.4", xds.metrics().prometheus());
        case "/debug/syncz" -> reply(ex, 200, "application/json", syncz());
        case "/debug/config_dump" -> {
          String proxy = query(ex, "proxy");
          Optional<String> dump = proxy == null ? Optional.empty() : xds.configDump(proxy);
          if (dump.isPresent()) {
            reply(ex, 200, "application/json", dump.get());
          } else {
            reply(ex, 404, "text/plain", "proxy " + proxy + " not found, or not unique (see /debug/syncz)\n");
          }
        }
        case "/debug/registryz" -> reply(ex, 200, "application/json", JSON.writerWithDefaultPrettyPrinter()
            .writeValueAsString(Map.of("services", registry.services(), "instances", registry.instances())));
        case "/apis/config" -> {
          if (method.equals("POST") || method.equals("PUT")) {
            apply(ex);
          } else {
            reply(ex, 200, "application/json", list());
          }
        }
        default -> {
          if (path.startsWith("/apis/config/") && method.equals("DELETE")) {
            delete(ex, path.substring("/apis/config/".length()));
          } else {
            reply(ex, 404, "text/plain", "not found: " + path + "\n");
          }
        }
      }
    } catch (RuntimeException e) {
      reply(ex, 500, "text/plain", "internal error: " + e + "\n");
    }
  }

  private String syncz() throws IOException {
    ArrayNode out = JSON.createArrayNode();
    for (ProxyStatus s : xds.proxyStatus()) {
      ObjectNode n = out.addObject();
      n.put("proxy", s.proxy());
      n.put("cluster_id", s.cluster());
      n.put("istio_version", s.version());
      s.status().forEach((t, v) -> n.put(t.toUpperCase(Locale.ROOT), v));
      ObjectNode ages = n.putObject("ages");
      s.ages().forEach(ages::put);
      if (!s.errors().isEmpty()) {
        ObjectNode errors = n.putObject("errors");
        s.errors().forEach(errors::put);
      }
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
  }

  private String list() throws IOException {
    ArrayNode out = JSON.createArrayNode();
    for (Resource r : store.list()) {
      ObjectNode n = out.addObject();
      n.put("apiVersion", r.apiVersion());
      n.put("kind", r.kind().kind());
      n.putObject("metadata").put("name", r.name()).put("namespace", r.namespace());
      if (r.raw() != null && r.raw().has("spec")) {
        n.set("spec", r.raw().get("spec"));
      }
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
  }

  private void apply(HttpExchange ex) throws IOException {
    LoadResult loaded = new ConfigLoader().load("request",
        new InputStreamReader(ex.getRequestBody(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    boolean failed = !loaded.problems().isEmpty();
    loaded.problems().forEach(p -> lines.add("error: " + p.origin() + ": " + p.message()));
    lines.addAll(loaded.unknownKindSummary());
    for (Resource r : loaded.resources()) {
      if (!r.kind().isIstio()) {
        lines.add(r.friendlyName() + " skipped: only Istio config is applied through the API (put Kubernetes objects"
            + " in the --config directory)");
        continue;
      }
      ApplyResult result = store.apply(r);
      failed |= result.status() == ApplyResult.Status.REJECTED;
      lines.add(result.line());
    }
    reply(ex, failed ? 422 : 200, "text/plain", String.join("\n", lines) + "\n");
  }

  private void delete(HttpExchange ex, String rest) throws IOException {
    String[] parts = rest.split("/");
    if (parts.length != 3) {
      reply(ex, 400, "text/plain", "expected /apis/config/<Kind>/<namespace>/<name>\n");
      return;
    }
    ResourceKind kind = null;
    for (ResourceKind k : ResourceKind.values()) {
      if (k.isIstio() && k.kind().equalsIgnoreCase(parts[0])) {
        kind = k;
      }
    }
    if (kind == null) {
      reply(ex, 400, "text/plain", "unknown kind " + parts[0] + "\n");
      return;
    }
    ApplyResult r = store.delete(new Resource.Key(kind, parts[1], parts[2]));
    reply(ex, r.status() == ApplyResult.Status.DELETED ? 200 : 404, "text/plain", r.line() + "\n");
  }

  private static String query(HttpExchange ex, String name) {
    String q = ex.getRequestURI().getRawQuery();
    if (q == null) {
      return null;
    }
    for (String kv : q.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0 && kv.substring(0, eq).equals(name)) {
        return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
