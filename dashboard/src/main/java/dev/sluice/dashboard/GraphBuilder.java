package dev.sluice.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * PURE: per-edge series → Kiali's graph. Nodes and edges follow the {@link GraphView}; an edge
 * carries requests/s, its share of the requests its source node sends (Kiali's request %) and of those
 * to the same service (the traffic split a VirtualService configured), the 4xx+5xx rate and p95;
 * nodes and edges get Kiali's health colours ({@link Health}).
 *
 * <pre>{@code
 * Graph g = GraphBuilder.build(GraphView.VERSIONED_APP, Duration.ofMinutes(5), Set.of("bookinfo"),
 *     source.requests(q), source.latency(q, 0.95, edgeKeys), source.latency(q, 0.95, nodeKeys));
 * }</pre>
 */
public final class GraphBuilder {
  private GraphBuilder() {}

  private static final class EdgeAcc {
    final GraphNodeKey source;
    final GraphNodeKey target;
    final Map<String, Double> codes = new TreeMap<>();
    String protocol = "http";
    String service = IstioLabels.UNKNOWN;

    EdgeAcc(GraphNodeKey source, GraphNodeKey target) {
      this.source = source;
      this.target = target;
    }

    double rps() {
      return codes.values().stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  /**
   * Builds the graph.
   *
   * @param view what nodes stand for
   * @param window the rate window (reported back only)
   * @param namespaces keep edges touching these namespaces (all when empty)
   * @param traffic request rates grouped by {@link IstioLabels#GRAPH_GROUP_BY}
   * @param edgeLatency p95 grouped by {@link GraphView#edgeGroupBy()}
   * @param nodeLatency p95 grouped by {@link GraphView#destinationGroupBy()}
   */
  public static Graph build(GraphView view, java.time.Duration window, Set<String> namespaces,
      List<TrafficSample> traffic, List<LatencySample> edgeLatency, List<LatencySample> nodeLatency) {
    Map<String, EdgeAcc> edges = new TreeMap<>();
    Map<String, GraphNodeKey> nodes = new TreeMap<>();
    for (TrafficSample s : traffic) {
      if (!(s.perSecond() > 0) || !touches(s.labels(), namespaces)) {
        continue;
      }
      GraphNodeKey src = view.source(s.labels());
      GraphNodeKey dst = view.destination(s.labels());
      nodes.putIfAbsent(src.id(), src);
      nodes.putIfAbsent(dst.id(), dst);
      EdgeAcc e = edges.computeIfAbsent(edgeId(src, dst), k -> new EdgeAcc(src, dst));
      e.codes.merge(s.label("response_code"), s.perSecond(), Double::sum);
      e.service = s.label("destination_service_namespace") + "/" + s.label("destination_service_name");
      String protocol = s.label("request_protocol");
      if (!protocol.equals(IstioLabels.UNKNOWN)) {
        e.protocol = protocol;
      }
    }
    Map<String, Double> edgeP95 = new HashMap<>();
    for (LatencySample l : edgeLatency) {
      edgeP95.merge(edgeId(view.source(l.labels()), view.destination(l.labels())), l.millis(), Math::max);
    }
    Map<String, Double> nodeP95 = new HashMap<>();
    for (LatencySample l : nodeLatency) {
      nodeP95.merge(view.destination(l.labels()).id(), l.millis(), Math::max);
    }

    Map<String, Double> outTotals = new HashMap<>();
    Map<String, Double> serviceTotals = new HashMap<>();
    Map<String, Map<String, Double>> inCodes = new HashMap<>();
    Map<String, Map<String, Double>> outCodes = new HashMap<>();
    for (EdgeAcc e : edges.values()) {
      outTotals.merge(e.source.id(), e.rps(), Double::sum);
      serviceTotals.merge(e.source.id() + " " + e.service, e.rps(), Double::sum);
      e.codes.forEach((c, v) -> {
        inCodes.computeIfAbsent(e.target.id(), k -> new TreeMap<>()).merge(c, v, Double::sum);
        outCodes.computeIfAbsent(e.source.id(), k -> new TreeMap<>()).merge(c, v, Double::sum);
      });
    }

    List<Graph.Edge> outEdges = new ArrayList<>();
    for (Map.Entry<String, EdgeAcc> en : edges.entrySet()) {
      EdgeAcc e = en.getValue();
      double rps = e.rps();
      double total = outTotals.getOrDefault(e.source.id(), 0.0);
      double toService = serviceTotals.getOrDefault(e.source.id() + " " + e.service, 0.0);
      outEdges.add(new Graph.Edge(en.getKey(), e.source.id(), e.target.id(), rps, total > 0 ? 100 * rps / total : 0,
          toService > 0 ? 100 * rps / toService : 0, e.service, Health.errorPercent(e.codes), edgeP95.get(en.getKey()), e.codes, e.protocol, Health.of(e.codes)));
    }
    List<Graph.Node> outNodes = new ArrayList<>();
    for (GraphNodeKey k : nodes.values()) {
      Map<String, Double> in = inCodes.getOrDefault(k.id(), Map.of());
      Map<String, Double> codes = in.isEmpty() ? outCodes.getOrDefault(k.id(), Map.of()) : in;
      double inRps = in.values().stream().mapToDouble(Double::doubleValue).sum();
      outNodes.add(new Graph.Node(k.id(), k.kind(), k.namespace(), k.name(), k.version(), inRps,
          outTotals.getOrDefault(k.id(), 0.0), codes, Health.errorPercent(codes), nodeP95.get(k.id()),
          Health.of(codes)));
    }
    outNodes.sort(Comparator.comparing(Graph.Node::id));
    return new Graph(view.id(), window.toSeconds(), outNodes, outEdges);
  }

  static String edgeId(GraphNodeKey src, GraphNodeKey dst) {
    return src.id() + "->" + dst.id();
  }

  private static boolean touches(Map<String, String> labels, Set<String> namespaces) {
    if (namespaces.isEmpty()) {
      return true;
    }
    return namespaces.contains(labels.getOrDefault("source_workload_namespace", IstioLabels.UNKNOWN))
        || namespaces.contains(labels.getOrDefault("destination_service_namespace", IstioLabels.UNKNOWN))
        || namespaces.contains(labels.getOrDefault("destination_workload_namespace", IstioLabels.UNKNOWN));
  }
}
