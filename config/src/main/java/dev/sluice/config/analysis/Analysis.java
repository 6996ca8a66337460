package dev.sluice.config.analysis;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisInput.Mode;
import dev.sluice.config.analysis.AnalysisResult.SkippedAnalyzer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs Istio's analyzers ({@code istioctl analyze}) over a set of resources. Pure: the result
 * depends only on the input.
 *
 * <pre>{@code
 * List<AnalysisMessage> found = Analysis.analyze(AnalysisInput.files(resources));
 * found.forEach(m -> System.out.println(m.logLine()));
 * }</pre>
 */
public final class Analysis {
  /** Namespaces whose objects Istio's file source ignores. */
  private static final Set<String> IGNORED_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease",
      "local-path-storage");

  /** The kinds istioctl expects from a live cluster; analyzers reading them are skipped in file mode without any. */
  private static final Set<ResourceKind> CLUSTER_KINDS = EnumSet.of(ResourceKind.SERVICE, ResourceKind.POD,
      ResourceKind.SECRET, ResourceKind.NAMESPACE, ResourceKind.NODE);

  /** Resource annotation listing codes not to report on it ({@code *} for all). */
  static final String SUPPRESS_ANNOTATION = "galley.istio.io/analyze-suppress";

  private Analysis() {}

  /** The messages of {@link #run}. */
  public static List<AnalysisMessage> analyze(AnalysisInput input) {
    return run(input).messages();
  }

  /** Runs the input's analyzers: the de-duplicated, sorted messages and the skipped analyzers. */
  public static AnalysisResult run(AnalysisInput input) {
    List<Resource> user = input.resources().stream().filter(r -> !ignored(r)).toList();
    List<Resource> all = new ArrayList<>();
    Set<ResourceKind> supplied = EnumSet.noneOf(ResourceKind.class);
    user.forEach(r -> supplied.add(r.kind()));
    boolean ingress = !"OFF".equalsIgnoreCase(input.meshConfig().ingressControllerMode());
    if (input.mode() == Mode.HARNESS) {
      all.addAll(user);
      if (ingress) { // the harness applies the defaults after the test files, so they win
        all.addAll(DefaultResources.harnessIngress(input.istioNamespace(), input.meshConfig()));
      }
    } else {
      if (ingress) { // istioctl applies the defaults first, so the user's files win
        all.addAll(DefaultResources.realIngress(input.istioNamespace(), input.meshConfig()));
      }
      all.addAll(user);
      List<Resource> pods = DefaultResources.podsOf(user);
      all.addAll(pods);
      if (!pods.isEmpty()) {
        supplied.add(ResourceKind.POD);
      }
    }
    Snapshot snapshot = Snapshot.of(all, input.meshConfig(), input.istioNamespace(), input.now());

    List<AnalysisMessage> found = new ArrayList<>();
    List<SkippedAnalyzer> skipped = new ArrayList<>();
    for (Analyzer a : input.analyzers()) {
      if (input.mode() == Mode.FILES) {
        String why = missingInput(a, supplied);
        if (why != null) {
          skipped.add(new SkippedAnalyzer(a.name(), why));
          continue;
        }
      }
      found.addAll(a.analyze(snapshot));
    }
    return new AnalysisResult(finish(found, snapshot), skipped);
  }

  private static @org.jspecify.annotations.Nullable String missingInput(Analyzer a, Set<ResourceKind> supplied) {
    for (ResourceKind k : a.inputs()) {
      if (CLUSTER_KINDS.contains(k) && !a.optionalInputs().contains(k) && !supplied.contains(k)) {
        return "Skipping analyzer \"" + a.name() + "\" because no " + k.kind() + " was supplied"
            + (k == ResourceKind.POD ? " (nor a Deployment)" : "")
            + " and the files are analyzed without a cluster";
      }
    }
    return null;
  }

  private static boolean ignored(Resource r) {
    String ns = r.kind() == ResourceKind.NAMESPACE ? r.name() : r.namespace();
    return IGNORED_NAMESPACES.contains(ns);
  }

  /** Drops suppressed messages and duplicates, and sorts as istioctl does. */
  private static List<AnalysisMessage> finish(List<AnalysisMessage> found, Snapshot snapshot) {
    Map<String, Resource> byName = new HashMap<>();
    for (Resource r : snapshot.all()) {
      byName.putIfAbsent(r.friendlyName(), r);
    }
    Map<String, AnalysisMessage> unique = new LinkedHashMap<>();
    for (AnalysisMessage m : found) {
      Resource r = byName.get(m.resource());
      if (r != null && suppressedByAnnotation(r, m.type().code())) {
        continue;
      }
      unique.putIfAbsent(m.logLine(), m);
    }
    List<AnalysisMessage> out = new ArrayList<>(unique.values());
    out.sort(ORDER);
    return out;
  }

  private static boolean suppressedByAnnotation(Resource r, String code) {
    String codes = r.meta().annotations().get(SUPPRESS_ANNOTATION);
    if (codes == null || codes.isEmpty()) {
      return false;
    }
    for (String c : codes.split(",")) {
      if (c.equals("*") || c.equals(code)) {
        return true;
      }
    }
    return false;
  }

  /** istioctl's order: level (Error first), code, resource, then the whole line. */
  static final Comparator<AnalysisMessage> ORDER = Comparator
      .comparing((AnalysisMessage m) -> m.type().level().ordinal())
      .thenComparing(m -> m.type().code())
      .thenComparing(AnalysisMessage::resource)
      .thenComparing(AnalysisMessage::logLine);
}
