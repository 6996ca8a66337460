package dev.sluice.platform.local;

import dev.sluice.controlplane.HttpExchanges;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The platform's part of sluiced's HTTP API, used by {@code sluice get|scale|logs|exec|down}:
 * <ul>
 *   <li>{@code GET /platform/pods|deployments|services[?namespace=NS]} (no namespace: all):
 *       Kubernetes-shaped objects (JSON list) with their status
 *   <li>{@code GET /platform/pods/<ns>/<name>/logs}, {@code GET .../env} (what {@code exec} runs
 *       with); {@code DELETE /platform/pods/<ns>/<name>}
 *   <li>{@code POST /platform/scale/<ns>/<deployment>?replicas=N}
 *   <li>{@code GET /platform/info}: the gateway's URL and ports; {@code POST /platform/shutdown}
 * </ul>
 * A pod name may also be a Deployment's name or a unique prefix.
 */
final class PlatformHttp implements HttpHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalPlatform platform;

  PlatformHttp(LocalPlatform platform) {
    this.platform = platform;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String[] parts = ex.getRequestURI().getPath().substring("/platform/".length()).split("/");
      String method = ex.getRequestMethod();
      String ns = HttpExchanges.query(ex, "namespace");
      switch (parts[0]) {
        case "info" -> {
          ObjectNode n = JSON.createObjectNode();
          n.put("gatewayUrl", platform.gatewayUrl());
          ObjectNode ports = n.putObject("gatewayPorts");
          for (int p : List.of(8080, 8443, 31400, 15021)) {
            ports.put(Integer.toString(p), platform.gatewayPort(p));
          }
          n.put("apiPort", platform.apiPort());
          n.put("pid", ProcessHandle.current().pid());
          HttpExchanges.reply(ex, 200, "application/json", n.toString());
        }
        case "shutdown" -> {
          HttpExchanges.reply(ex, 200, "text/plain", "stopping\n");
          Thread.ofVirtual().start(platform::requestShutdown);
        }
        case "pods" -> pods(ex, parts, method, ns);
        case "deployments" -> HttpExchanges.reply(ex, 200, "application/json", deployments(ns));
        case "services" -> HttpExchanges.reply(ex, 200, "application/json", services(ns));
        case "scale" -> {
          if (parts.length != 3 || !method.equals("POST")) {
            HttpExchanges.reply(ex, 400, "text/plain", "expected POST /platform/scale/<namespace>/<deployment>?replicas=N\n");
            return;
          }
          String r = HttpExchanges.query(ex, "replicas");
          try {
            HttpExchanges.reply(ex, 200, "text/plain", platform.scale(parts[1], parts[2], Integer.parseInt(r == null ? "" : r)) + "\n");
          } catch (NumberFormatException e) {
            HttpExchanges.reply(ex, 400, "text/plain", "replicas: " + r + " (expected: a number)\n");
          }
        }
        default -> HttpExchanges.reply(ex, 404, "text/plain", "not found: " + ex.getRequestURI().getPath() + "\n");
      }
    } catch (IllegalArgumentException e) {
      HttpExchanges.reply(ex, 404, "text/plain", "Error from server (NotFound): " + e.getMessage() + "\n");
    } catch (RuntimeException e) {
      HttpExchanges.reply(ex, 500, "text/plain", "internal error: " + e + "\n");
    }
  }

  private void pods(HttpExchange ex, String[] parts, String method, @Nullable String ns) throws IOException {
    if (parts.length == 1) {
      HttpExchanges.reply(ex, 200, "application/json", pods(ns));
      return;
    }
    if (parts.length < 3) {
      HttpExchanges.reply(ex, 400, "text/plain", "expected /platform/pods/<namespace>/<name>[/logs|/env]\n");
      return;
    }
    Pod pod = platform.find(parts[1], parts[2]);
    if (pod == null) {
      throw new IllegalArgumentException("pods \"" + parts[2] + "\" not found in namespace " + parts[1]);
    }
    String what = parts.length > 3 ? parts[3] : "";
    switch (what) {
      case "logs" -> {
        String container = HttpExchanges.query(ex, "container");
        if (container != null && container.equals("istio-proxy")) {
          HttpExchanges.reply(ex, 200, "text/plain", platform.proxyLog(pod));
        } else if (container == null || container.isEmpty() || pod.container == null
            || container.equals(pod.container.name())) {
          HttpExchanges.reply(ex, 200, "text/plain", pod.log.lines().stream().map(l -> l + "\n")
              .reduce("", String::concat));
        } else {
          HttpExchanges.reply(ex, 400, "text/plain", "container " + container + " is not valid for pod " + pod.name
              + " (expected: " + (pod.container.name() == null ? "" : pod.container.name() + " or ") + "istio-proxy)\n");
        }
      }
      case "env" -> {
        ObjectNode n = JSON.createObjectNode();
        n.put("pod", pod.name);
        n.put("namespace", pod.namespace);
        ObjectNode env = n.putObject("env");
        pod.env.forEach(env::put);
        HttpExchanges.reply(ex, 200, "application/json", n.toString());
      }
      case "" -> {
        if (method.equals("DELETE")) {
          HttpExchanges.reply(ex, 200, "text/plain", platform.deletePod(pod.namespace, pod.name) + "\n");
        } else {
          HttpExchanges.reply(ex, 200, "application/json", pod(pod).toString());
        }
      }
      default -> HttpExchanges.reply(ex, 404, "text/plain", "not found: " + what + "\n");
    }
  }

  private String pods(@Nullable String ns) {
    ArrayNode out = JSON.createArrayNode();
    for (Pod p : platform.pods()) {
      if (ns == null || ns.equals(p.namespace)) {
        out.add(pod(p));
      }
    }
    return out.toString();
  }

  static ObjectNode pod(Pod p) {
    ObjectNode n = JSON.createObjectNode();
    n.put("apiVersion", "v1");
    n.put("kind", "Pod");
    ObjectNode md = n.putObject("metadata");
    md.put("name", p.name);
    md.put("namespace", p.namespace);
    md.put("creationTimestamp", p.created.toString());
    p.labels.forEach(md.putObject("labels")::put);
    ObjectNode spec = n.putObject("spec");
    spec.put("serviceAccountName", p.serviceAccount);
    if (p.container != null) {
      spec.putArray("containers").add(JSON.valueToTree(p.container));
    }
    ObjectNode st = n.putObject("status");
    st.put("phase", p.status == Pod.Status.PENDING || p.status == Pod.Status.CONTAINER_CREATING ? "Pending"
        : "Running");
    st.put("podIP", "127.0.0.1");
    st.put("ready", p.readyColumn());
    st.put("status", p.status.text);
    st.put("restarts", p.restarts);
    st.put("message", p.message);
    ObjectNode sluice = st.putObject("sluice");
    if (!p.router) {
      sluice.put("http_proxy", "http://127.0.0.1:" + p.outboundPort);
    }
    p.appPorts.forEach((c, a) -> sluice.with("appPorts").put(Integer.toString(c), a));
    p.publishedPorts.forEach((c, a) -> sluice.with("sidecarPorts").put(Integer.toString(c), a));
    var s = p.sidecar;
    if (s != null) {
      sluice.put("proxyAdminPort", s.adminPort());
    }
    var a = p.app;
    if (a != null) {
      sluice.put("app", a.describe());
    }
    return n;
  }

  private String deployments(@Nullable String ns) {
    ArrayNode out = JSON.createArrayNode();
    List<Pod> pods = platform.pods();
    for (LocalPlatform.Deployment d : platform.deployments()) {
      Resource r = d.resource();
      if (ns != null && !ns.equals(r.namespace())) {
        continue;
      }
      ObjectNode n = object(r, d.created().toString());
      ((ObjectNode) n.with("spec")).put("replicas", d.replicas());
      long current = pods.stream().filter(p -> p.namespace.equals(r.namespace()) && r.name().equals(p.owner)
          && p.templateHash.equals(d.hash())).count();
      long ready = pods.stream().filter(p -> p.namespace.equals(r.namespace()) && r.name().equals(p.owner)
          && p.templateHash.equals(d.hash()) && p.ready).count();
      ObjectNode st = n.putObject("status");
      st.put("replicas", current);
      st.put("updatedReplicas", current);
      st.put("readyReplicas", ready);
      st.put("availableReplicas", ready);
      out.add(n);
    }
    return out.toString();
  }

  private String services(@Nullable String ns) {
    ArrayNode out = JSON.createArrayNode();
    for (Resource r : platform.list()) {
      if (r.kind() == ResourceKind.SERVICE && (ns == null || ns.equals(r.namespace()))) {
        out.add(object(r, platform.created(r.key()).map(Object::toString).orElse("")));
      }
    }
    return out.toString();
  }

  private static ObjectNode object(Resource r, String created) {
    JsonNode raw = r.raw();
    ObjectNode n = raw instanceof ObjectNode o ? o.deepCopy() : JSON.createObjectNode();
    n.put("apiVersion", r.apiVersion());
    n.put("kind", r.kind().kind());
    ObjectNode md = n.with("metadata");
    md.put("name", r.name());
    md.put("namespace", r.namespace());
    md.put("creationTimestamp", created);
    return n;
  }


}
