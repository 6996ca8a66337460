package dev.sluice.translate;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import java.util.TreeMap;

/**
 * The proxy a translation is for, read from the xDS {@code Node} as istiod reads it: the id
 * {@code sidecar~10.244.0.7~reviews-v2-x.default~default.svc.cluster.local} gives the type, IP,
 * workload and namespace; metadata {@code LABELS}, {@code NAMESPACE}, {@code GENERATOR} and
 * {@code HTTP_PROXY_PORT} refine them.
 *
 * @param id the node id
 * @param type sidecar or gateway (router)
 * @param ip the workload IP
 * @param workload the pod or workload name (may be empty)
 * @param namespace the proxy's namespace
 * @param labels the workload's labels
 * @param generator {@link Generator#GRPC} for proxyless gRPC clients
 * @param httpProxyPort the explicit-capture HTTP proxy port (Istio's {@code proxyHttpPort}): when
 *     not 0, the proxy gets one listener on {@code 127.0.0.1:port} routing every service by Host
 *     and port, instead of iptables capture listeners. 0 off; -1 on with an ephemeral port
 * @param appPorts where the workload's app listens, by workload (container) port (metadata {@code
 *     SLUICE_APP_PORTS}; the local platform, where apps cannot all bind their container ports on
 *     one host): the inbound clusters' endpoints. Empty: the container ports on 127.0.0.1
 * @param listenerPorts the port to bind for each listener port (metadata {@code
 *     SLUICE_LISTENER_PORTS}; 0 = a free port): the local platform's gateways, which bind loopback
 *     when this is set. Listener names keep the unmapped port, as istiod names them
 */
public record ProxyNode(
    String id,
    Type type,
    String ip,
    String workload,
    String namespace,
    Map<String, String> labels,
    Generator generator,
    int httpProxyPort,
    Map<Integer, Integer> appPorts,
    Map<Integer, Integer> listenerPorts) {

  /** Istio's proxy types. */
  public enum Type {
    SIDECAR,
    ROUTER
  }

  /** Which xDS flavour the client understands. */
  public enum Generator {
    ENVOY,
    GRPC
  }

  public ProxyNode {
    requireNonNull(id, "id");
    requireNonNull(type, "type");
    requireNonNull(ip, "ip");
    requireNonNull(workload, "workload");
    requireNonNull(namespace, "namespace");
    requireNonNull(generator, "generator");
    labels = Map.copyOf(labels);
    appPorts = Map.copyOf(appPorts);
    listenerPorts = Map.copyOf(listenerPorts);
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("namespace: \"\" (expected: the proxy's namespace)");
    }
  }

  /** A node without port mappings. */
  public ProxyNode(String id, Type type, String ip, String workload, String namespace, Map<String, String> labels,
      Generator generator, int httpProxyPort) {
    this(id, type, ip, workload, namespace, labels, generator, httpProxyPort, Map.of(), Map.of());
  }

  /** A sidecar with labels in a namespace (tests). */
  public static ProxyNode sidecar(String workload, String namespace, String ip, Map<String, String> labels) {
    return new ProxyNode("sidecar~" + ip + "~" + workload + "." + namespace + "~" + namespace + ".svc.cluster.local",
        Type.SIDECAR, ip, workload, namespace, labels, Generator.ENVOY, 0);
  }

  /** A gateway (router) proxy. */
  public static ProxyNode router(String workload, String namespace, String ip, Map<String, String> labels) {
    return new ProxyNode("router~" + ip + "~" + workload + "." + namespace + "~" + namespace + ".svc.cluster.local",
        Type.ROUTER, ip, workload, namespace, labels, Generator.ENVOY, 0);
  }

  /** This node with explicit capture on {@code port} (see {@link #httpProxyPort}). */
  public ProxyNode withHttpProxyPort(int port) {
    return new ProxyNode(id, type, ip, workload, namespace, labels, generator, port, appPorts, listenerPorts);
  }

  /** This node with the app's ports (see {@link #appPorts}). */
  public ProxyNode withAppPorts(Map<Integer, Integer> ports) {
    return new ProxyNode(id, type, ip, workload, namespace, labels, generator, httpProxyPort, ports, listenerPorts);
  }

  /** This node with listener port mappings (see {@link #listenerPorts}). */
  public ProxyNode withListenerPorts(Map<Integer, Integer> ports) {
    return new ProxyNode(id, type, ip, workload, namespace, labels, generator, httpProxyPort, appPorts, ports);
  }

  /** The port the app listens on for workload port {@code port}. */
  public int appPort(int port) {
    return appPorts.getOrDefault(port, port);
  }

  /** The port to bind for listener port {@code port}. */
  public int bindPort(int port) {
    return listenerPorts.getOrDefault(port, port);
  }

  /** The address gateway listeners bind: loopback on the local platform, else all interfaces. */
  public String listenAddress() {
    return listenerPorts.isEmpty() ? "0.0.0.0" : "127.0.0.1";
  }

  /** Whether the node is a proxyless gRPC client. */
  public boolean isGrpc() {
    return generator == Generator.GRPC;
  }

  /** Whether listeners are explicit (HTTP proxy) rather than iptables capture listeners. */
  public boolean explicitCapture() {
    return httpProxyPort != 0;
  }

  /**
   * Reads a node. The id may be Istio's {@code type~ip~workload.namespace~domain}, or anything
   * else with the namespace in metadata ({@code default} otherwise).
   */
  public static ProxyNode fromNode(Node node) {
    String id = node.getId();
    String[] parts = id.split("~", -1);
    Type type = parts.length == 4 && parts[0].equals("router") ? Type.ROUTER : Type.SIDECAR;
    String ip = parts.length == 4 ? parts[1] : "";
    String workload = "";
    String ns = "";
    if (parts.length == 4) {
      int dot = parts[2].lastIndexOf('.');
      workload = dot < 0 ? parts[2] : parts[2].substring(0, dot);
      ns = dot < 0 ? "" : parts[2].substring(dot + 1);
    }
    Struct md = node.getMetadata();
    ns = string(md, "NAMESPACE", ns);
    if (ns.isEmpty()) {
      ns = "default";
    }
    workload = string(md, "WORKLOAD_NAME", workload);
    if (ip.isEmpty()) {
      ip = string(md, "INSTANCE_IPS", "");
    }
    Map<String, String> labels = new TreeMap<>();
    Value l = md.getFieldsMap().get("LABELS");
    if (l != null && l.hasStructValue()) {
      l.getStructValue().getFieldsMap().forEach((k, v) -> labels.put(k, v.getStringValue()));
    }
    String gen = string(md, "GENERATOR", "");
    Generator g = gen.equals("grpc") || node.getUserAgentName().toLowerCase(java.util.Locale.ROOT).startsWith("grpc")
        ? Generator.GRPC : Generator.ENVOY;
    int port = 0;
    String p = string(md, "HTTP_PROXY_PORT", "");
    if (!p.isEmpty()) {
      try {
        port = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        port = 0;
      }
      if (port == 0) {
        port = -1;
      }
    }
    return new ProxyNode(id, type, ip, workload, ns, labels, g, port, ports(md, "SLUICE_APP_PORTS"),
        ports(md, "SLUICE_LISTENER_PORTS"));
  }

  /** A metadata map of port numbers ({@code {"9080": "41234"}}); bad entries are skipped. */
  private static Map<Integer, Integer> ports(Struct md, String key) {
    Map<Integer, Integer> out = new TreeMap<>();
    Value v = md.getFieldsMap().get(key);
    if (v != null && v.hasStructValue()) {
      v.getStructValue().getFieldsMap().forEach((k, x) -> {
        try {
          int from = Integer.parseInt(k);
          int to = x.hasNumberValue() ? (int) x.getNumberValue() : Integer.parseInt(x.getStringValue());
          if (from > 0 && from < 65536 && to >= 0 && to < 65536) {
            out.put(from, to);
          }
        } catch (NumberFormatException e) {
          // not a port: ignored, as istiod ignores malformed metadata
        }
      });
    }
    return out;
  }

  private static String string(Struct md, String key, String dflt) {
    Value v = md.getFieldsMap().get(key);
    if (v == null) {
      return dflt;
    }
    return switch (v.getKindCase()) {
      case STRING_VALUE -> v.getStringValue().isEmpty() ? dflt : v.getStringValue();
      case NUMBER_VALUE -> Long.toString((long) v.getNumberValue());
      default -> dflt;
    };
  }
}
