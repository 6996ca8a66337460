package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.kube.Kube;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code deployment.MultiServiceAnalyzer}: the Services selecting a meshed Deployment's pods must
 * not use one port with different protocols (IST0116), nor map one target port from different
 * ports (IST0137).
 */
final class MultiServiceAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "deployment.MultiServiceAnalyzer";
  }

  @Override
  public String description() {
    return "Checks association between services and pods";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.SERVICE, ResourceKind.DEPLOYMENT, ResourceKind.NAMESPACE);
  }

  /** Namespaces only add injection labels; without them fewer deployments count as meshed. */
  @Override
  public Set<ResourceKind> optionalInputs() {
    return Set.of(ResourceKind.NAMESPACE);
  }

  /** A Service selecting the deployment's pods. */
  private record Matching(String name, Kube.ServiceSpec spec) {}

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Report report = new Report();
    for (Resource d : s.all(ResourceKind.DEPLOYMENT)) {
      if ("istio.io-mesh-controller".equals(d.meta().labels().get(Workloads.GATEWAY_MANAGED))
          || !Workloads.deploymentInMesh(d, s)) {
        continue;
      }
      List<Matching> services = matchingServices(d, s);
      Map<Integer, Map<String, List<String>>> byPort = new TreeMap<>();
      Map<String, Map<Integer, String>> byTarget = new LinkedHashMap<>();
      for (Matching m : services) {
        for (Kube.ServicePort p : m.spec().ports()) {
          byPort.computeIfAbsent(p.portOrZero(), k -> new LinkedHashMap<>())
              .computeIfAbsent(p.protocolOrDefault(), k -> new ArrayList<>()).add(m.name());
          String target = p.targetPort() == null ? "0" : p.targetPort().toString();
          if (target.equals("0") || target.isEmpty()) {
            target = Integer.toString(p.portOrZero());
          }
          byTarget.computeIfAbsent(target, k -> new TreeMap<>()).put(p.portOrZero(), m.name());
        }
      }
      for (Map.Entry<Integer, Map<String, List<String>>> e : byPort.entrySet()) {
        if (e.getValue().size() > 1) {
          List<String> names = e.getValue().values().stream().flatMap(List::stream).sorted().toList();
          report.add(d, "metadata.name", Messages.DEPLOYMENT_ASSOCIATED_TO_MULTIPLE_SERVICES, d.name(), e.getKey(),
              names);
        }
      }
      for (Map.Entry<String, Map<Integer, String>> e : byTarget.entrySet()) {
        if (e.getValue().size() > 1) {
          List<String> names = e.getValue().values().stream().sorted().toList();
          List<Integer> ports = List.copyOf(e.getValue().keySet());
          report.add(d, "metadata.name", Messages.DEPLOYMENT_CONFLICTING_PORTS, d.name(), names, e.getKey(), ports);
        }
      }
    }
    return report.messages();
  }

  private static List<Matching> matchingServices(Resource d, Snapshot s) {
    Kube.DeploymentSpec spec = ((Kube.Deployment) d.spec()).spec();
    Map<String, String> labels = spec == null || spec.template() == null || spec.template().metadata() == null
        ? Map.of() : spec.template().metadata().labels();
    List<Matching> out = new ArrayList<>();
    for (Resource r : s.all(ResourceKind.SERVICE)) {
      Kube.ServiceSpec svc = ((Kube.Service) r.spec()).specOrEmpty();
      Map<String, String> selector = svc.selector() == null ? Map.of() : svc.selector();
      if (!selector.isEmpty() && Selectors.matches(selector, labels) && r.namespace().equals(d.namespace())) {
        out.add(new Matching(new Hosts.FullName(r.namespace(), r.name()).toString(), svc));
      }
    }
    return out;
  }
}
