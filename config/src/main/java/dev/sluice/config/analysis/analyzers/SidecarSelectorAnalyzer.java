package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.Sidecar;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sidecar.SelectorAnalyzer}: a Sidecar's workload selector matches a pod of its namespace
 * (IST0101); no pod is selected by two Sidecars (IST0110), no namespace has two Sidecars without a
 * selector (IST0111), and Sidecars on ambient workloads have no effect (IST0167).
 */
final class SidecarSelectorAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "sidecar.SelectorAnalyzer";
  }

  @Override
  public String description() {
    return "Validates that sidecars that define a workload selector match at least one pod, and that there"
        + " aren't multiple sidecar resources that select overlapping pods";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.SIDECAR, ResourceKind.POD, ResourceKind.NAMESPACE);
  }

  /** Namespaces only tell which are ambient; without them the analyzer reports nothing false. */
  @Override
  public Set<ResourceKind> optionalInputs() {
    return Set.of(ResourceKind.NAMESPACE);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Report report = new Report();
    Map<Resource, List<Resource>> sidecarsByPod = new LinkedHashMap<>();
    Map<String, List<Resource>> unselectedByNamespace = new LinkedHashMap<>();
    for (Resource sc : s.all(ResourceKind.SIDECAR)) {
      Sidecar spec = (Sidecar) sc.spec();
      Map<String, String> selector = spec.workloadSelector() == null ? Map.of() : spec.workloadSelector().labels();
      if (selector.isEmpty()) {
        unselectedByNamespace.computeIfAbsent(sc.namespace(), k -> new ArrayList<>()).add(sc);
        continue;
      }
      boolean found = false;
      for (Resource pod : s.all(ResourceKind.POD)) {
        if (pod.namespace().equals(sc.namespace()) && Selectors.matches(selector, pod.meta().labels())) {
          found = true;
          sidecarsByPod.computeIfAbsent(pod, k -> new ArrayList<>()).add(sc);
        }
      }
      if (!found) {
        report.add(sc, Selectors.fieldOfFirstLabel("spec.workloadSelector.labels", selector),
            Messages.REFERENCED_RESOURCE_NOT_FOUND, "selector", Selectors.toString(selector));
      }
    }
    Set<Resource.Key> reported = new HashSet<>();
    for (Map.Entry<Resource, List<Resource>> e : sidecarsByPod.entrySet()) {
      Resource pod = e.getKey();
      boolean ambient = Workloads.podInAmbient(pod);
      if (e.getValue().size() == 1 && !ambient) {
        continue;
      }
      List<String> names = names(e.getValue());
      for (Resource sc : e.getValue()) {
        if (ambient) {
          if (reported.add(sc.key())) {
            report.add(sc, null, Messages.INEFFECTIVE_POLICY,
                "selected workload is in ambient mode, the policy has no impact");
          }
          continue;
        }
        report.add(sc, "metadata.name", Messages.CONFLICTING_SIDECAR_WORKLOAD_SELECTORS, names, pod.namespace(),
            pod.name());
      }
    }
    for (Map.Entry<String, List<Resource>> e : unselectedByNamespace.entrySet()) {
      if (Workloads.namespaceInAmbient(s.find(ResourceKind.NAMESPACE, "", e.getKey()))) {
        for (Resource sc : e.getValue()) {
          if (reported.add(sc.key())) {
            report.add(sc, null, Messages.INEFFECTIVE_POLICY, "namespace is in ambient mode, the policy has no impact");
          }
        }
        continue;
      }
      if (e.getValue().size() > 1) {
        List<String> names = names(e.getValue());
        for (Resource sc : e.getValue()) {
          report.add(sc, null, Messages.MULTIPLE_SIDECARS_WITHOUT_WORKLOAD_SELECTORS, names, e.getKey());
        }
      }
    }
    return report.messages();
  }

  private static List<String> names(List<Resource> sidecars) {
    return sidecars.stream().map(Resource::name).sorted().toList();
  }
}
