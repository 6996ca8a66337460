package dev.sluice.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kiali's three graph selections per namespace N (reference A3.2), once as PromQL matchers for
 * {@link PrometheusSource} and once as a predicate for {@link EmbeddedScraper}, side by side so
 * that both sources answer the same question:
 * <ol>
 *   <li>{@code reporter="destination",source_workload="unknown",destination_service_namespace="N"}
 *       (traffic from outside the mesh)</li>
 *   <li>{@code reporter="source",source_workload_namespace!="N",destination_service_namespace="N"}</li>
 *   <li>{@code reporter="source",source_workload_namespace="N"}</li>
 * </ol>
 * Without a namespace filter: {@code reporter="source"} and the unknown-source destination series.
 */
final class GraphQueries {
  private GraphQueries() {}

  /** The label matchers (the inside of {@code {…}}), one per PromQL query. */
  static List<String> matchers(Set<String> namespaces) {
    List<String> out = new ArrayList<>();
    if (namespaces.isEmpty()) {
      out.add("reporter=\"destination\",source_workload=\"unknown\"");
      out.add("reporter=\"source\"");
      return out;
    }
    for (String ns : namespaces.stream().sorted().toList()) {
      String n = promString(ns);
      out.add("reporter=\"destination\",source_workload=\"unknown\",destination_service_namespace=" + n);
      out.add("reporter=\"source\",source_workload_namespace!=" + n + ",destination_service_namespace=" + n);
      out.add("reporter=\"source\",source_workload_namespace=" + n);
    }
    return out;
  }

  /** Whether a raw series (all its labels) falls into any of the selections. */
  static boolean selected(Map<String, String> labels, Set<String> namespaces) {
    String reporter = labels.getOrDefault("reporter", "");
    boolean fromOutside = reporter.equals("destination")
        && labels.getOrDefault("source_workload", IstioLabels.UNKNOWN).equals(IstioLabels.UNKNOWN);
    boolean sourceReported = reporter.equals("source");
    if (namespaces.isEmpty()) {
      return fromOutside || sourceReported;
    }
    String srcNs = labels.getOrDefault("source_workload_namespace", IstioLabels.UNKNOWN);
    String dstNs = labels.getOrDefault("destination_service_namespace", IstioLabels.UNKNOWN);
    if (fromOutside) {
      return namespaces.contains(dstNs);
    }
    return sourceReported && (namespaces.contains(srcNs) || namespaces.contains(dstNs));
  }

  static String promString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
