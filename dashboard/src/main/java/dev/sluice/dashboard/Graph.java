package dev.sluice.dashboard;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A traffic graph as the UI draws it.
 *
 * @param view the graph type
 * @param windowSeconds the rate window
 * @param nodes nodes sorted by id
 * @param edges edges sorted by id
 */
public record Graph(String view, long windowSeconds, List<Node> nodes, List<Edge> edges) {
  public Graph {
    requireNonNull(view, "view");
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  /**
   * A node.
   *
   * @param id stable id ({@code app:bookinfo/reviews/v2})
   * @param kind app, workload, service or unknown
   * @param namespace its namespace ({@code unknown} for the unknown source)
   * @param name app, workload or service name
   * @param version the version in the versioned-app view, else empty
   * @param inRps requests/s received
   * @param outRps requests/s sent
   * @param codes inbound requests/s per response code (outbound when it receives nothing)
   * @param errorPercent 4xx+5xx share of {@code codes}
   * @param p95Millis inbound p95 latency, null without data
   * @param health colour by Kiali's thresholds
   */
  public record Node(String id, String kind, String namespace, String name, String version, double inRps,
      double outRps, Map<String, Double> codes, double errorPercent, @Nullable Double p95Millis, Health health) {
    public Node {
      codes = Map.copyOf(codes);
    }
  }

  /**
   * An edge.
   *
   * @param id {@code source->target}
   * @param source source node id
   * @param target target node id
   * @param rps requests/s
   * @param sharePercent this edge's share of all requests sent by its source node (Kiali's request %)
   * @param serviceSharePercent its share of the requests its source sends to the same service: the
   *     split a VirtualService's weights configure (reviews v1 80 %, v2 20 %)
   * @param service the destination service, {@code namespace/name}
   * @param errorPercent 4xx+5xx share
   * @param p95Millis p95 latency, null without data
   * @param codes requests/s per response code
   * @param protocol http, grpc, …
   * @param health colour by Kiali's thresholds
   */
  public record Edge(String id, String source, String target, double rps, double sharePercent,
      double serviceSharePercent, String service, double errorPercent,
      @Nullable Double p95Millis, Map<String, Double> codes, String protocol, Health health) {
    public Edge {
      codes = Map.copyOf(codes);
    }
  }

  /** The edge from {@code source} to {@code target}, if present. */
  public java.util.Optional<Edge> edge(String source, String target) {
    return edges.stream().filter(e -> e.source().equals(source) && e.target().equals(target)).findFirst();
  }

  /** The node with {@code id}, if present. */
  public java.util.Optional<Node> node(String id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
  }
}
