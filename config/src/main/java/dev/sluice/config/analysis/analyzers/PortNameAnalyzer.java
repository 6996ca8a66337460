package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.kube.Kube;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code service.PortNameAnalyzer}: Service ports whose name (or appProtocol) gives no protocol
 * (IST0118), and ExternalName services with such a port or one named {@code tcp} (IST0150).
 * Istio's own control-plane and gateway-managed services are exempt.
 */
final class PortNameAnalyzer implements Analyzer {
  private static final Set<String> MANAGED = Set.of("istio.io-gateway-controller", "istio.io-mesh-controller",
      "istio.io-eastwest-controller");
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "grpc", "grpc-web", "http", "http_proxy",
      "http2", "https", "tls", "mongo", "redis", "mysql");
  private static final Set<Integer> WELL_KNOWN_TCP = Set.of(25, 53, 3306, 27017);

  @Override
  public String name() {
    return "service.PortNameAnalyzer";
  }

  @Override
  public String description() {
    return "Checks the port names associated with each service";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.SERVICE);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Report report = new Report();
    for (Resource r : s.all(ResourceKind.SERVICE)) {
      Map<String, String> labels = r.meta().labels();
      if (labels.containsKey("istio") || "istio".equals(labels.get("release"))
          || MANAGED.contains(labels.getOrDefault(Workloads.GATEWAY_MANAGED, ""))) {
        continue;
      }
      Kube.ServiceSpec svc = ((Kube.Service) r.spec()).specOrEmpty();
      boolean externalName = "ExternalName".equals(svc.type());
      for (int i = 0; i < svc.ports().size(); i++) {
        Kube.ServicePort p = svc.ports().get(i);
        if (!unsupported(p) && !(p.nameOrEmpty().equals("tcp") && externalName)) {
          continue;
        }
        String field = "spec.ports[" + i + "]";
        if (externalName) {
          report.add(r, field, Messages.EXTERNAL_NAME_SERVICE_TYPE_INVALID_PORT_NAME);
        } else {
          report.add(r, field, Messages.PORT_NAME_IS_NOT_UNDER_NAMING_CONVENTION, p.nameOrEmpty(), p.portOrZero(),
              p.targetPort() == null ? "0" : p.targetPort().toString());
        }
      }
    }
    return report.messages();
  }

  /** Whether Istio cannot tell the port's protocol from its protocol, appProtocol, name or number. */
  static boolean unsupported(Kube.ServicePort p) {
    return protocol(p.portOrZero(), p.nameOrEmpty(), p.protocol(), p.appProtocol()) == null;
  }

  /** The protocol Istio derives for a Service port (lower case), or null when it cannot. */
  static @Nullable String protocol(int port, String name, @Nullable String proto, @Nullable String appProtocol) {
    if ("UDP".equals(proto)) {
      return "udp";
    }
    String n = name;
    if (appProtocol != null) {
      n = appProtocol;
      switch (n) {
        case "kubernetes.io/h2c" -> {
          return "http2";
        }
        case "kubernetes.io/ws" -> {
          return "http";
        }
        case "kubernetes.io/wss" -> {
          return "https";
        }
        default -> { }
      }
    }
    if (n.length() >= 8 && n.substring(0, 8).equalsIgnoreCase("grpc-web")) {
      return "grpc-web";
    }
    int dash = n.indexOf('-');
    if (dash >= 0) {
      n = n.substring(0, dash);
    }
    String lower = n.toLowerCase(Locale.ROOT);
    if (PROTOCOLS.contains(lower)) {
      return lower;
    }
    return WELL_KNOWN_TCP.contains(port) ? "tcp" : null;
  }
}
