package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.AuthorizationPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code auth.AuthorizationPoliciesAnalyzer}: a policy selects some meshed workload (IST0127; in the
 * root namespace any namespace's, else its own), and the namespaces its sources name exist (IST0101).
 */
final class AuthorizationPoliciesAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "auth.AuthorizationPoliciesAnalyzer";
  }

  @Override
  public String description() {
    return "Checks the validity of authorization policies";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.AUTHORIZATION_POLICY, ResourceKind.NAMESPACE, ResourceKind.POD);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Map<String, List<Map<String, String>>> podLabels = new HashMap<>();
    for (Resource pod : s.all(ResourceKind.POD)) {
      List<Map<String, String>> list = podLabels.computeIfAbsent(pod.namespace(), k -> new ArrayList<>());
      if (Workloads.podInMesh(pod, s) || Workloads.podInAmbient(pod)) {
        list.add(pod.meta().labels());
      }
    }
    Report report = new Report();
    for (Resource r : s.all(ResourceKind.AUTHORIZATION_POLICY)) {
      AuthorizationPolicy ap = (AuthorizationPolicy) r.spec();
      noMatchingWorkloads(r, ap, s, podLabels, report);
      namespacesNotFound(r, ap, s, report);
    }
    return report.messages();
  }

  private static void noMatchingWorkloads(Resource r, AuthorizationPolicy ap, Snapshot s,
      Map<String, List<Map<String, String>>> podLabels, Report report) {
    if (r.namespace().equals(s.meshConfig().rootNamespace())) {
      if (ap.selector() != null) {
        Map<String, String> sel = ap.selector().matchLabels();
        boolean any = podLabels.values().stream().flatMap(List::stream).anyMatch(l -> Selectors.matches(sel, l));
        if (!any) {
          report.add(r, null, Messages.NO_MATCHING_WORKLOADS_FOUND, Selectors.toString(sel));
        }
      }
      return;
    }
    List<Map<String, String>> local = podLabels.getOrDefault(r.namespace(), List.of());
    if (ap.selector() == null) {
      if (local.isEmpty()) {
        report.add(r, null, Messages.NO_MATCHING_WORKLOADS_FOUND, "");
      }
      return;
    }
    Map<String, String> sel = ap.selector().matchLabels();
    if (local.stream().noneMatch(l -> Selectors.matches(sel, l))) {
      report.add(r, null, Messages.NO_MATCHING_WORKLOADS_FOUND, Selectors.toString(sel));
    }
  }

  private static void namespacesNotFound(Resource r, AuthorizationPolicy ap, Snapshot s, Report report) {
    List<AuthorizationPolicy.Rule> rules = ap.rules() == null ? List.of() : ap.rules();
    for (int i = 0; i < rules.size(); i++) {
      List<AuthorizationPolicy.From> from = rules.get(i).from();
      for (int j = 0; j < from.size(); j++) {
        AuthorizationPolicy.Source src = from.get(j).source();
        if (src == null) {
          continue;
        }
        String base = "spec.rules[" + i + "].from[" + j + "].source.";
        check(r, src.namespaces(), base + "namespaces", s, report);
        check(r, src.notNamespaces(), base + "notNamespaces", s, report);
      }
    }
  }

  private static void check(Resource r, List<String> namespaces, String field, Snapshot s, Report report) {
    for (int k = 0; k < namespaces.size(); k++) {
      String exp = namespaces.get(k);
      boolean found = s.all(ResourceKind.NAMESPACE).stream().anyMatch(ns -> namespaceMatch(ns.name(), exp));
      if (!found) {
        report.add(r, field + "[" + k + "]", Messages.REFERENCED_RESOURCE_NOT_FOUND, "namespace", exp);
      }
    }
  }

  /** {@code *}, {@code *suffix}, {@code prefix*} or a case-insensitive name. */
  static boolean namespaceMatch(String ns, String exp) {
    if (exp.equals("*")) {
      return true;
    }
    if (exp.startsWith("*")) {
      return ns.endsWith(exp.substring(1));
    }
    if (exp.endsWith("*")) {
      return ns.startsWith(exp.substring(0, exp.length() - 1));
    }
    return ns.toLowerCase(Locale.ROOT).equals(exp.toLowerCase(Locale.ROOT));
  }
}
