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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * sluiced's HTTP API (port 15014), used by the CLI:
 * <ul>
 *   <li>{@code GET /apis/config}: stored Istio objects (JSON list, with {@code
 *       metadata.creationTimestamp}); {@code POST /apis/config}: apply a YAML stream, all or
 *       nothing (kubectl-style lines; 422 and nothing stored when an object is rejected); Kubernetes
 *       objects go to the {@link Platform}; {@code POST /apis/delete}: delete the objects of a YAML
 *       stream; {@code DELETE /apis/config/<Kind>/<namespace>/<name>}
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
  private volatile @Nullable Platform platform;

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

  void setPlatform(Platform p) {
    platform = p;
  }

  void addHandler(String prefix, com.sun.net.httpserver.HttpHandler handler) {
    server.createContext(prefix, handler);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      switch (path) {
        case "/ready", "/healthz/ready" -> HttpExchanges.reply(ex, 200, "text/plain", "ok\n");
        case "/metrics" -> HttpExchanges.reply(ex, 200, "text/plain; version=0.0.4", xds.metrics().prometheus());
        case "/debug/syncz" -> HttpExchanges.reply(ex, 200, "application/json", syncz());
        case "/debug/config_dump" -> {
          String proxy = HttpExchanges.query(ex, "proxy");
          Optional<String> dump = proxy == null ? Optional.empty() : xds.configDump(proxy);
          if (dump.isPresent()) {
            HttpExchanges.reply(ex, 200, "application/json", dump.get());
          } else {
            HttpExchanges.reply(ex, 404, "text/plain", "proxy " + proxy + " not found, or not unique (see /debug/syncz)\n");
          }
        }
        case "/debug/registryz" -> HttpExchanges.reply(ex, 200, "application/json", JSON.writerWithDefaultPrettyPrinter()
            .writeValueAsString(Map.of("services", registry.services(), "instances", registry.instances())));
        case "/apis/config" -> {
          if (method.equals("POST") || method.equals("PUT")) {
            apply(ex);
          } else {
            HttpExchanges.reply(ex, 200, "application/json", list());
          }
        }
        default -> {
          if (path.equals("/apis/delete") && method.equals("POST")) {
            deleteAll(ex);
          } else if (path.startsWith("/apis/config/") && method.equals("DELETE")) {
            delete(ex, path.substring("/apis/config/".length()));
          } else {
            HttpExchanges.reply(ex, 404, "text/plain", "not found: " + path + "\n");
          }
        }
      }
    } catch (RuntimeException e) {
      HttpExchanges.reply(ex, 500, "text/plain", "internal error: " + e + "\n");
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
      ObjectNode md = n.putObject("metadata").put("name", r.name()).put("namespace", r.namespace());
      store.created(r.key()).ifPresent(t -> md.put("creationTimestamp", t.toString()));
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
    loaded.problems().forEach(p -> lines.add("error: " + p.origin() + ": " + p.message()));
    lines.addAll(loaded.unknownKindSummary());
    Platform p = platform;
    String ns = namespaceParam(ex);
    List<Resource> istio = new ArrayList<>();
    List<Resource> kube = new ArrayList<>();
    boolean failed = !loaded.problems().isEmpty();
    // Check everything first: an apply with one bad object stores nothing.
    for (Resource r : loaded.resources()) {
      if (r.kind().isIstio()) {
        istio.add(r);
        var v = dev.sluice.config.validation.Validation.validate(r.withDefaultNamespace(ns));
        failed |= v.hasErrors();
      } else if (p != null) {
        kube.add(r);
        String why = p.check(r.withDefaultNamespace(ns));
        if (why != null) {
          failed = true;
          lines.add(new ApplyResult(r.withDefaultNamespace(ns).key(), ApplyResult.Status.REJECTED,
              List.of(why)).line());
        }
      } else {
        lines.add(r.friendlyName() + " skipped: only Istio config is applied through the API (put Kubernetes objects"
            + " in the --config directory, or run `sluice up`)");
      }
    }
    if (failed) {
      istio.replaceAll(r -> r.withDefaultNamespace(ns));
    for (ApplyResult r : store.applyAll(istio)) {
        lines.add(r.line());
      }
      lines.add("error: nothing applied (fix the errors above and apply again)");
      HttpExchanges.reply(ex, 422, "text/plain", String.join("\n", lines) + "\n");
      return;
    }
    // Kubernetes objects first (namespaces, accounts, services, then workloads), then Istio config.
    kube.sort(java.util.Comparator.comparingInt(HttpApi::kubeOrder));
    for (Resource r : kube) {
      lines.add(p.apply(r.withDefaultNamespace(ns)).line());
    }
    istio.replaceAll(r -> r.withDefaultNamespace(ns));
    for (ApplyResult r : store.applyAll(istio)) {
      lines.add(r.line());
    }
    HttpExchanges.reply(ex, 200, "text/plain", String.join("\n", lines) + "\n");
  }

  private static int kubeOrder(Resource r) {
    return switch (r.kind()) {
      case NAMESPACE -> 0;
      case SERVICE_ACCOUNT, SECRET, CONFIG_MAP -> 1;
      case SERVICE -> 2;
      default -> 3;
    };
  }

  /** {@code kubectl delete -f}: every object of the stream, in reverse order. */
  private void deleteAll(HttpExchange ex) throws IOException {
    LoadResult loaded = new ConfigLoader().load("request",
        new InputStreamReader(ex.getRequestBody(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    loaded.problems().forEach(pr -> lines.add("error: " + pr.origin() + ": " + pr.message()));
    boolean missing = false;
    List<Resource> resources = new ArrayList<>(loaded.resources());
    java.util.Collections.reverse(resources);
    String ns = namespaceParam(ex);
    for (Resource res : resources) {
      Resource r = res.withDefaultNamespace(ns);
      ApplyResult result = deleteOne(r.key());
      missing |= result.status() != ApplyResult.Status.DELETED;
      lines.add(deletedLine(result));
    }
    HttpExchanges.reply(ex, missing || !loaded.problems().isEmpty() ? 404 : 200, "text/plain", String.join("\n", lines) + "\n");
  }

  private ApplyResult deleteOne(Resource.Key key) {
    if (key.kind().isIstio()) {
      return store.delete(key);
    }
    Platform p = platform;
    return p == null ? new ApplyResult(key, ApplyResult.Status.UNCHANGED, List.of("not found")) : p.delete(key);
  }

  /** kubectl's {@code virtualservice.networking.istio.io "reviews" deleted}. */
  static String deletedLine(ApplyResult r) {
    String group = r.key().kind().group();
    String head = r.key().kind().kind().toLowerCase(Locale.ROOT) + (group.isEmpty() ? "" : "." + group);
    return r.status() == ApplyResult.Status.DELETED ? head + " \"" + r.key().name() + "\" deleted"
        : "Error from server (NotFound): " + head + " \"" + r.key().name() + "\" not found";
  }

  private void delete(HttpExchange ex, String rest) throws IOException {
    String[] parts = rest.split("/");
    if (parts.length != 3) {
      HttpExchanges.reply(ex, 400, "text/plain", "expected /apis/config/<Kind>/<namespace>/<name>\n");
      return;
    }
    ResourceKind kind = null;
    for (ResourceKind k : ResourceKind.values()) {
      if (k.kind().equalsIgnoreCase(parts[0]) && (k.isIstio() || kind == null)) {
        kind = k;
      }
    }
    if (kind == null) {
      HttpExchanges.reply(ex, 400, "text/plain", "unknown kind " + parts[0] + "\n");
      return;
    }
    ApplyResult r = deleteOne(new Resource.Key(kind, parts[1], parts[2]));
    HttpExchanges.reply(ex, r.status() == ApplyResult.Status.DELETED ? 200 : 404, "text/plain", deletedLine(r) + "\n");
  }

  /** {@code ?namespace=NS} (kubectl's {@code -n}): where objects without a namespace go. */
  private static String namespaceParam(HttpExchange ex) {
    String ns = HttpExchanges.query(ex, "namespace");
    return ns == null || ns.isEmpty() ? "default" : ns;
  }



  @Override
  public void close() {
    server.stop(0);
  }
}
