package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.DestinationRule;
import dev.sluice.config.kube.Kube;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code destinationrule.SubsetSelectPodAnalyzer}: a DestinationRule's host is a known service
 * (IST0174), and each subset selects at least one pod (IST0173), pod labels being augmented with
 * the topology labels of their node.
 */
final class SubsetSelectPodAnalyzer implements Analyzer {
  static final String REGION = "topology.kubernetes.io/region";
  static final String ZONE = "topology.kubernetes.io/zone";
  static final String SUBZONE = "topology.istio.io/subzone";
  static final String HOSTNAME = "kubernetes.io/hostname";

  @Override
  public String name() {
    return "destinationrule.SubsetSelectPodAnalyzer";
  }

  @Override
  public String description() {
    return "Checks if pods are selected by subsets in destination rules.";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.DESTINATION_RULE, ResourceKind.POD, ResourceKind.SERVICE, ResourceKind.SERVICE_ENTRY,
        ResourceKind.NODE);
  }

  /** Nodes only add topology labels to pods. */
  @Override
  public Set<ResourceKind> optionalInputs() {
    return Set.of(ResourceKind.NODE);
  }

  /** One subset's selector, and whether a pod matched it. */
  private static final class Matcher {
    final Resource rule;
    final String subset;
    final Map<String, String> selector;
    boolean matched;

    Matcher(Resource rule, String subset, Map<String, String> selector) {
      this.rule = rule;
      this.subset = subset;
      this.selector = selector;
    }
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Report report = new Report();
    ServiceRegistry registry = ServiceRegistry.of(s);
    List<Matcher> matchers = new ArrayList<>();
    for (Resource r : s.all(ResourceKind.DESTINATION_RULE)) {
      DestinationRule dr = (DestinationRule) r.spec();
      Optional<ServiceRegistry.Service> svc = registry.lookup(r.namespace(), dr.exportTo(), dr.hostOrEmpty());
      if (svc.isEmpty()) {
        report.add(r, "spec.host", Messages.UNKNOWN_DESTINATION_RULE_HOST, dr.hostOrEmpty());
        continue;
      }
      for (DestinationRule.Subset ss : dr.subsets()) {
        Map<String, String> selector = new HashMap<>(svc.get().workloadSelector());
        selector.putAll(ss.labels());
        matchers.add(new Matcher(r, ss.nameOrEmpty(), selector));
      }
    }
    Map<String, Map<String, String>> nodeLabels = new HashMap<>();
    s.all(ResourceKind.NODE).forEach(n -> nodeLabels.put(n.name(), n.meta().labels()));
    for (Resource pod : s.all(ResourceKind.POD)) {
      Map<String, String> labels = augmented(pod, nodeLabels);
      for (Matcher m : matchers) {
        if (!m.matched && Selectors.matches(m.selector, labels)) {
          m.matched = true;
        }
      }
    }
    for (Matcher m : matchers) {
      if (!m.matched) {
        report.add(m.rule, null, Messages.DESTINATION_RULE_SUBSET_NOT_SELECT_PODS, m.subset);
      }
    }
    return report.messages();
  }

  /** The pod's labels plus region, zone and subzone of its node, and the node name as hostname. */
  private static Map<String, String> augmented(Resource pod, Map<String, Map<String, String>> nodeLabels) {
    Kube.PodSpec spec = ((Kube.Pod) pod.spec()).spec();
    String node = spec == null || spec.nodeName() == null ? "" : spec.nodeName();
    Map<String, String> out = new LinkedHashMap<>(pod.meta().labels());
    Map<String, String> nl = nodeLabels.get(node);
    if (nl != null) {
      String locality = locality(nl.getOrDefault(REGION, ""), nl.getOrDefault(ZONE, ""), nl.getOrDefault(SUBZONE, ""));
      String[] parts = locality.split("/", -1);
      putIfNotEmpty(out, REGION, parts[0]);
      putIfNotEmpty(out, ZONE, parts.length > 1 ? parts[1] : "");
      putIfNotEmpty(out, SUBZONE, parts.length > 2 ? parts[2] : "");
    }
    putIfNotEmpty(out, HOSTNAME, node);
    return out;
  }

  private static String locality(String region, String zone, String subzone) {
    if (zone.isEmpty()) {
      return region;
    }
    return subzone.isEmpty() ? region + "/" + zone : region + "/" + zone + "/" + subzone;
  }

  private static void putIfNotEmpty(Map<String, String> m, String k, String v) {
    if (!v.isEmpty()) {
      m.put(k, v);
    }
  }
}
