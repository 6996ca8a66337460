package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.Gateway;
import dev.sluice.config.kube.IntOrString;
import dev.sluice.config.kube.Kube;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code gateway.IngressGatewayPortAnalyzer}: a Gateway's selector matches some pod (IST0101), and
 * each server port is a (target) port of a Service in front of those pods (IST0162).
 */
final class IngressGatewayPortAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "gateway.IngressGatewayPortAnalyzer";
  }

  @Override
  public String description() {
    return "Checks a gateway's ports against the gateway's Kubernetes service ports";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.GATEWAY, ResourceKind.POD, ResourceKind.SERVICE);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Report report = new Report();
    for (Resource r : s.all(ResourceKind.GATEWAY)) {
      analyzeGateway(r, s, report);
    }
    return report.messages();
  }

  private static void analyzeGateway(Resource r, Snapshot s, Report report) {
    Gateway gw = (Gateway) r.spec();
    Set<Integer> targetPorts = new HashSet<>();
    Map<Integer, Integer> servicePorts = new HashMap<>();
    int selected = 0;
    for (Resource pod : s.all(ResourceKind.POD)) {
      Map<String, String> labels = pod.meta().labels();
      if (!Selectors.matches(gw.selector(), labels)) {
        continue;
      }
      selected++;
      for (Resource svcResource : s.all(ResourceKind.SERVICE)) {
        if (!svcResource.namespace().equals(pod.namespace())) {
          continue; // a Service selects pods of its own namespace only
        }
        Kube.ServiceSpec svc = ((Kube.Service) svcResource.spec()).specOrEmpty();
        if (!Selectors.matches(svc.selector() == null ? Map.of() : svc.selector(), labels)) {
          continue;
        }
        for (Kube.ServicePort p : svc.ports()) {
          if (!p.protocolOrDefault().equals("TCP")) {
            continue;
          }
          int target = intValue(p.targetPort());
          if (target != 0) {
            targetPorts.add(target);
            servicePorts.putIfAbsent(p.portOrZero(), target);
          } else {
            targetPorts.add(p.portOrZero());
          }
        }
      }
    }
    String selector = Selectors.toString(gw.selector());
    String field = Selectors.fieldOfFirstLabel("spec.selector", gw.selector());
    if (selected == 0) {
      report.add(r, field, Messages.REFERENCED_RESOURCE_NOT_FOUND, "selector", selector);
      return;
    }
    for (Gateway.Server server : gw.servers()) {
      if (server.port() == null) {
        continue;
      }
      int n = server.port().num();
      if (!targetPorts.contains(n) && !servicePorts.containsKey(n)) {
        report.add(r, field, Messages.GATEWAY_PORT_NOT_DEFINED_ON_SERVICE, n, selector);
      }
    }
  }

  /** Kubernetes' {@code IntOrString.IntValue()}: the number, a numeric string's value, else 0. */
  static int intValue(@org.jspecify.annotations.Nullable IntOrString v) {
    if (v == null) {
      return 0;
    }
    if (v.intValue() != null) {
      return v.intValue();
    }
    try {
      return Integer.parseInt(String.valueOf(v.stringValue()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
