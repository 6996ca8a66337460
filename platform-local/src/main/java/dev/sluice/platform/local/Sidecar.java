package dev.sluice.platform.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.proxy.ProxyOptions;
import dev.sluice.proxy.SluiceProxy;
import java.time.Duration;
import java.util.Map;

/**
 * Starts one pod's proxy in this JVM: an Envoy bootstrap whose node is the pod (Istio's node id,
 * {@code NAMESPACE}, {@code LABELS}) with explicit capture ({@code HTTP_PROXY_PORT}) and the app's
 * ports ({@code SLUICE_APP_PORTS}), or a gateway (router) with its listener ports ({@code
 * SLUICE_LISTENER_PORTS}), and ADS to sluiced. Every proxy has its own node identity, ADS stream,
 * listeners, event loop and stats; none share state.
 */
final class Sidecar {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Sidecar() {}

  /**
   * What identifies the proxy to sluiced and, through Istio's metadata exchange, to its peers.
   *
   * @param workload the owning Deployment's name (Istio's {@code WORKLOAD_NAME}), the pod's otherwise
   */
  record Node(boolean router, String pod, String namespace, Map<String, String> labels, int httpProxyPort,
      Map<Integer, Integer> appPorts, Map<Integer, Integer> listenerPorts, String workload, String serviceAccount) {
    String id() {
      return (router ? "router" : "sidecar") + "~127.0.0.1~" + pod + "." + namespace + "~" + namespace
          + ".svc.cluster.local";
    }
  }

  static SluiceProxy start(Node node, int xdsPort, String logLevel) {
    // Istio's 15090 on a free port: the proxy's /stats/prometheus, what the dashboard and Prometheus scrape.
    ProxyOptions o = new ProxyOptions(null, bootstrap(node, xdsPort), 0, "127.0.0.1", logLevel, null, null, 1,
        Duration.ofSeconds(2)).withPrometheusPort(0);
    return SluiceProxy.start(o);
  }

  /** The bootstrap (JSON, which the proxy reads as YAML). */
  static String bootstrap(Node node, int xdsPort) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode n = root.putObject("node");
    n.put("id", node.id());
    n.put("cluster", node.labels().getOrDefault("app", node.pod()) + "." + node.namespace());
    ObjectNode md = n.putObject("metadata");
    md.put("NAMESPACE", node.namespace());
    // Istio's identity keys, which the metadata exchange hands to peers (source_* / destination_* labels).
    // The workload (Deployment) is named by OWNER: sluiced reads WORKLOAD_NAME as the pod whose inbound
    // side it builds, so that key stays unset here.
    md.put("NAME", node.pod());
    md.put("SERVICE_ACCOUNT", node.serviceAccount());
    md.put("OWNER", node.workload().equals(node.pod())
        ? "kubernetes://apis/v1/namespaces/" + node.namespace() + "/pods/" + node.pod()
        : "kubernetes://apis/apps/v1/namespaces/" + node.namespace() + "/deployments/" + node.workload());
    md.put("CLUSTER_ID", "Kubernetes");
    md.put("MESH_ID", "cluster.local");
    ObjectNode labels = md.putObject("LABELS");
    node.labels().forEach(labels::put);
    if (!node.router()) {
      md.put("HTTP_PROXY_PORT", Integer.toString(node.httpProxyPort()));
    }
    ports(md.putObject("SLUICE_APP_PORTS"), node.appPorts());
    ports(md.putObject("SLUICE_LISTENER_PORTS"), node.listenerPorts());
    ObjectNode dyn = root.putObject("dynamic_resources");
    ObjectNode ads = dyn.putObject("ads_config");
    ads.put("api_type", "GRPC");
    ads.put("transport_api_version", "V3");
    ads.putArray("grpc_services").addObject().putObject("envoy_grpc").put("cluster_name", "xds-grpc");
    dyn.putObject("cds_config").put("resource_api_version", "V3").putObject("ads");
    dyn.putObject("lds_config").put("resource_api_version", "V3").putObject("ads");
    ObjectNode xds = root.putObject("static_resources").putArray("clusters").addObject();
    xds.put("name", "xds-grpc");
    xds.put("type", "STATIC");
    xds.put("connect_timeout", "1s");
    xds.putObject("typed_extension_protocol_options")
        .putObject("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
        .put("@type", "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
        .putObject("explicit_http_config").putObject("http2_protocol_options");
    ObjectNode la = xds.putObject("load_assignment");
    la.put("cluster_name", "xds-grpc");
    la.putArray("endpoints").addObject().putArray("lb_endpoints").addObject().putObject("endpoint")
        .putObject("address").putObject("socket_address").put("address", "127.0.0.1").put("port_value", xdsPort);
    return root.toString();
  }

  private static void ports(ObjectNode out, Map<Integer, Integer> ports) {
    ports.forEach((k, v) -> out.put(Integer.toString(k), Integer.toString(v)));
  }
}
