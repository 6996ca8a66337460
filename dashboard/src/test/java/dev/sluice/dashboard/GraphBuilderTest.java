package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GraphBuilderTest {
  private static final Duration W = Duration.ofMinutes(5);

  /** A sample from src workload (app-version) to dst workload in namespace ns. */
  static TrafficSample edge(String ns, String src, String dst, String dstService, String code, double rps) {
    Map<String, String> l = new HashMap<>();
    for (String k : IstioLabels.GRAPH_GROUP_BY) {
      l.put(k, IstioLabels.UNKNOWN);
    }
    if (!src.equals("unknown")) {
      l.put("source_workload_namespace", ns);
      l.put("source_workload", src);
      l.put("source_canonical_service", app(src));
      l.put("source_canonical_revision", version(src));
    }
    l.put("destination_service_namespace", ns);
    l.put("destination_service", dstService + "." + ns + ".svc.cluster.local");
    l.put("destination_service_name", dstService);
    if (!dst.equals("unknown")) {
      l.put("destination_workload_namespace", ns);
      l.put("destination_workload", dst);
      l.put("destination_canonical_service", app(dst));
      l.put("destination_canonical_revision", version(dst));
    }
    l.put("request_protocol", "http");
    l.put("response_code", code);
    l.put("response_flags", "-");
    return new TrafficSample(l, rps);
  }

  private static String app(String workload) {
    int i = workload.lastIndexOf("-v");
    return i < 0 ? workload : workload.substring(0, i);
  }

  private static String version(String workload) {
    int i = workload.lastIndexOf("-v");
    return i < 0 ? "latest" : workload.substring(i + 1);
  }

  static List<TrafficSample> bookinfo() {
    return List.of(
        edge("bookinfo", "productpage-v1", "details-v1", "details", "200", 10),
        edge("bookinfo", "productpage-v1", "reviews-v1", "reviews", "200", 8),
        edge("bookinfo", "productpage-v1", "reviews-v2", "reviews", "200", 2),
        edge("bookinfo", "reviews-v2", "ratings-v1", "ratings", "200", 2));
  }

  private static Graph build(GraphView view, List<TrafficSample> traffic) {
    return GraphBuilder.build(view, W, Set.of(), traffic, List.of(), List.of());
  }

  @Test
  void versionedAppShares8020() {
    Graph g = build(GraphView.VERSIONED_APP, bookinfo());
    assertThat(g.edge("app:bookinfo/productpage/v1", "app:bookinfo/reviews/v1").orElseThrow().sharePercent())
        .isCloseTo(40, within(1e-9)); // 8 of productpage's 20 rps (details takes 10)
    assertThat(g.edge("app:bookinfo/productpage/v1", "app:bookinfo/reviews/v2").orElseThrow().sharePercent())
        .isCloseTo(10, within(1e-9));
    assertThat(g.edge("app:bookinfo/productpage/v1", "app:bookinfo/reviews/v1").orElseThrow().serviceSharePercent())
        .isCloseTo(80, within(1e-9)); // the VirtualService's split
    assertThat(g.edge("app:bookinfo/productpage/v1", "app:bookinfo/reviews/v2").orElseThrow().serviceSharePercent())
        .isCloseTo(20, within(1e-9));
    assertThat(g.edges()).hasSize(4);
    assertThat(g.nodes()).extracting(Graph.Node::id).containsExactly("app:bookinfo/details/v1",
        "app:bookinfo/productpage/v1", "app:bookinfo/ratings/v1", "app:bookinfo/reviews/v1", "app:bookinfo/reviews/v2");
  }

  /** Table: (view, source, target, rps, share %) for productpage → reviews 80/20 alone. */
  @ParameterizedTest
  @CsvSource({
      "versionedApp, app:bookinfo/productpage/v1, app:bookinfo/reviews/v1, 80, 80",
      "versionedApp, app:bookinfo/productpage/v1, app:bookinfo/reviews/v2, 20, 20",
      "workload, workload:bookinfo/productpage-v1, workload:bookinfo/reviews-v1, 80, 80",
      "workload, workload:bookinfo/productpage-v1, workload:bookinfo/reviews-v2, 20, 20",
      "app, app:bookinfo/productpage, app:bookinfo/reviews, 100, 100",
      "service, service:bookinfo/productpage, service:bookinfo/reviews, 100, 100",
  })
  void viewsTable(String view, String source, String target, double rps, double share) {
    Graph g = build(GraphView.parse(view), List.of(
        edge("bookinfo", "productpage-v1", "reviews-v1", "reviews", "200", 80),
        edge("bookinfo", "productpage-v1", "reviews-v2", "reviews", "200", 20)));
    Graph.Edge e = g.edge(source, target).orElseThrow();
    assertThat(e.rps()).isCloseTo(rps, within(1e-9));
    assertThat(e.sharePercent()).isCloseTo(share, within(1e-9));
  }

  /** Table: 5xx and 4xx shares → health by Kiali's thresholds, on the edge and the destination node. */
  @ParameterizedTest
  @CsvSource({
      "0,     0,  HEALTHY",
      "0.05,  0,  HEALTHY",
      "0.1,   0,  DEGRADED",
      "9.9,   0,  DEGRADED",
      "10,    0,  FAILURE",
      "0,     9.9, HEALTHY",
      "0,     10, DEGRADED",
      "0,     20, FAILURE",
  })
  void healthTable(double fiveXxPercent, double fourXxPercent, Health expected) {
    List<TrafficSample> t = new ArrayList<>();
    t.add(edge("bookinfo", "reviews-v2", "ratings-v1", "ratings", "200", 100 - fiveXxPercent - fourXxPercent));
    if (fiveXxPercent > 0) {
      t.add(edge("bookinfo", "reviews-v2", "ratings-v1", "ratings", "503", fiveXxPercent));
    }
    if (fourXxPercent > 0) {
      t.add(edge("bookinfo", "reviews-v2", "ratings-v1", "ratings", "404", fourXxPercent));
    }
    Graph g = build(GraphView.VERSIONED_APP, t);
    Graph.Edge e = g.edges().getFirst();
    assertThat(e.health()).isEqualTo(expected);
    assertThat(e.errorPercent()).isCloseTo(fiveXxPercent + fourXxPercent, within(1e-9));
    assertThat(g.node("app:bookinfo/ratings/v1").orElseThrow().health()).isEqualTo(expected);
  }

  @Test
  void unknownSourceAndDestinationWithoutWorkload() {
    Graph g = build(GraphView.WORKLOAD, List.of(
        edge("bookinfo", "unknown", "productpage-v1", "productpage", "200", 1),
        edge("bookinfo", "productpage-v1", "unknown", "reviews", "503", 1)));
    assertThat(g.edges()).extracting(Graph.Edge::id).containsExactlyInAnyOrder(
        "unknown->workload:bookinfo/productpage-v1", "workload:bookinfo/productpage-v1->service:bookinfo/reviews");
    assertThat(g.node("service:bookinfo/reviews").orElseThrow().health()).isEqualTo(Health.FAILURE);
    assertThat(g.node("unknown").orElseThrow().health()).isEqualTo(Health.HEALTHY); // from its outbound traffic
  }

  @Test
  void namespaceFilterKeepsEdgesTouchingTheNamespace() {
    List<TrafficSample> t = new ArrayList<>(bookinfo());
    t.add(edge("other", "sleep", "httpbin-v1", "httpbin", "200", 5));
    assertThat(GraphBuilder.build(GraphView.APP, W, Set.of("other"), t, List.of(), List.of()).edges())
        .extracting(Graph.Edge::id).containsExactly("app:other/sleep->app:other/httpbin");
    assertThat(GraphBuilder.build(GraphView.VERSIONED_APP, W, Set.of(), t, List.of(), List.of()).edges()).hasSize(5);
  }

  @Test
  void latencyIsMatchedToEdgesAndNodes() {
    Map<String, String> edgeLabels = new HashMap<>(bookinfo().get(1).labels());
    edgeLabels.keySet().retainAll(GraphView.VERSIONED_APP.edgeGroupBy());
    Map<String, String> nodeLabels = new HashMap<>(edgeLabels);
    nodeLabels.keySet().retainAll(GraphView.VERSIONED_APP.destinationGroupBy());
    Graph g = GraphBuilder.build(GraphView.VERSIONED_APP, W, Set.of(), bookinfo(),
        List.of(new LatencySample(edgeLabels, 9.75)), List.of(new LatencySample(nodeLabels, 12)));
    assertThat(g.edge("app:bookinfo/productpage/v1", "app:bookinfo/reviews/v1").orElseThrow().p95Millis()).isEqualTo(9.75);
    assertThat(g.edge("app:bookinfo/productpage/v1", "app:bookinfo/details/v1").orElseThrow().p95Millis()).isNull();
    assertThat(g.node("app:bookinfo/reviews/v1").orElseThrow().p95Millis()).isEqualTo(12);
  }

  @Test
  void codesAreSummedPerEdgeAndNode() {
    Graph g = build(GraphView.APP, List.of(
        edge("bookinfo", "productpage-v1", "reviews-v1", "reviews", "200", 3),
        edge("bookinfo", "productpage-v1", "reviews-v2", "reviews", "200", 1),
        edge("bookinfo", "productpage-v1", "reviews-v2", "reviews", "500", 1)));
    Graph.Edge e = g.edges().getFirst();
    assertThat(e.codes()).containsExactlyInAnyOrderEntriesOf(Map.of("200", 4.0, "500", 1.0));
    assertThat(e.errorPercent()).isCloseTo(20, within(1e-9));
    assertThat(g.node("app:bookinfo/productpage").orElseThrow().outRps()).isEqualTo(5);
  }
}
