package dev.sluice.dashboard;

import java.util.List;
import java.util.Map;

/**
 * Kiali's graph types: what a node stands for. {@link #VERSIONED_APP} is the default. A
 * destination without a known workload (no endpoint answered) becomes a service node in every view.
 */
public enum GraphView {
  APP("app", List.of("source_workload_namespace", "source_canonical_service"),
      List.of("destination_workload_namespace", "destination_canonical_service")),
  VERSIONED_APP("versionedApp",
      List.of("source_workload_namespace", "source_canonical_service", "source_canonical_revision"),
      List.of("destination_workload_namespace", "destination_canonical_service", "destination_canonical_revision")),
  WORKLOAD("workload", List.of("source_workload_namespace", "source_workload"),
      List.of("destination_workload_namespace", "destination_workload")),
  SERVICE("service", List.of("source_workload_namespace", "source_canonical_service"),
      List.of("destination_service_namespace", "destination_service_name"));

  private static final List<String> FALLBACK = List.of("destination_workload", "destination_service_namespace",
      "destination_service_name");

  private final String id;
  private final List<String> sourceKeys;
  private final List<String> destinationKeys;

  GraphView(String id, List<String> sourceKeys, List<String> destinationKeys) {
    this.id = id;
    this.sourceKeys = sourceKeys;
    this.destinationKeys = destinationKeys;
  }

  /** Kiali's name ({@code graphType}): app, versionedApp, workload, service. */
  public String id() {
    return id;
  }

  /** The view named {@code id}. */
  public static GraphView parse(String id) {
    for (GraphView v : values()) {
      if (v.id.equals(id)) {
        return v;
      }
    }
    throw new IllegalArgumentException("view: " + id + " (expected: app, versionedApp, workload or service)");
  }

  /** The labels an edge's latency is grouped by. */
  List<String> edgeGroupBy() {
    return concat(sourceKeys, destinationKeys);
  }

  /** The labels a node's inbound latency is grouped by. */
  List<String> destinationGroupBy() {
    return concat(List.of(), destinationKeys);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(a);
    out.addAll(b);
    out.addAll(FALLBACK);
    return List.copyOf(out);
  }

  /** The node a series' source is. */
  GraphNodeKey source(Map<String, String> l) {
    String ns = l.getOrDefault("source_workload_namespace", IstioLabels.UNKNOWN);
    String workload = l.getOrDefault("source_workload", IstioLabels.UNKNOWN);
    String app = l.getOrDefault("source_canonical_service", IstioLabels.UNKNOWN);
    if (workload.equals(IstioLabels.UNKNOWN) && app.equals(IstioLabels.UNKNOWN)) {
      return GraphNodeKey.UNKNOWN;
    }
    return switch (this) {
      case APP -> new GraphNodeKey("app", ns, app, "");
      case VERSIONED_APP -> new GraphNodeKey("app", ns, app, l.getOrDefault("source_canonical_revision", ""));
      case WORKLOAD -> new GraphNodeKey("workload", ns, workload, "");
      case SERVICE -> new GraphNodeKey("service", ns, app, "");
    };
  }

  /** The node a series' destination is. */
  GraphNodeKey destination(Map<String, String> l) {
    String workload = l.getOrDefault("destination_workload", IstioLabels.UNKNOWN);
    String svcNs = l.getOrDefault("destination_service_namespace", IstioLabels.UNKNOWN);
    String svc = l.getOrDefault("destination_service_name", IstioLabels.UNKNOWN);
    if (this == SERVICE || workload.equals(IstioLabels.UNKNOWN)) {
      return new GraphNodeKey("service", svcNs, svc, "");
    }
    String ns = l.getOrDefault("destination_workload_namespace", svcNs);
    String app = l.getOrDefault("destination_canonical_service", IstioLabels.UNKNOWN);
    return switch (this) {
      case APP -> new GraphNodeKey("app", ns, app, "");
      case VERSIONED_APP -> new GraphNodeKey("app", ns, app, l.getOrDefault("destination_canonical_revision", ""));
      case WORKLOAD -> new GraphNodeKey("workload", ns, workload, "");
      case SERVICE -> throw new AssertionError("handled above");
    };
  }
}
