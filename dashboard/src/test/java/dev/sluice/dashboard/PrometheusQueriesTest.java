package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrometheusQueriesTest {
  private static final String BY = "source_workload_namespace,source_workload,source_canonical_service,"
      + "source_canonical_revision,destination_service_namespace,destination_service,destination_service_name,"
      + "destination_workload_namespace,destination_workload,destination_canonical_service,"
      + "destination_canonical_revision,request_protocol,response_code,grpc_response_status,response_flags";

  @Test
  void kialisThreeQueriesPerNamespace() {
    TrafficQuery q = new TrafficQuery(Duration.ofMinutes(5), Instant.EPOCH, Set.of("bookinfo"));
    assertThat(PrometheusSource.requestQueries(q)).containsExactly(
        "sum(rate(istio_requests_total{reporter=\"destination\",source_workload=\"unknown\","
            + "destination_service_namespace=\"bookinfo\"}[300s])) by (" + BY + ") > 0",
        "sum(rate(istio_requests_total{reporter=\"source\",source_workload_namespace!=\"bookinfo\","
            + "destination_service_namespace=\"bookinfo\"}[300s])) by (" + BY + ") > 0",
        "sum(rate(istio_requests_total{reporter=\"source\",source_workload_namespace=\"bookinfo\"}[300s])) by ("
            + BY + ") > 0");
  }

  @Test
  void p95ViaHistogramQuantile() {
    TrafficQuery q = TrafficQuery.of(Duration.ofMinutes(1), Instant.EPOCH);
    assertThat(PrometheusSource.latencyQueries(q, 0.95, List.of("source_workload", "destination_workload")))
        .contains("histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket{reporter=\"source\"}"
            + "[60s])) by (le,source_workload,destination_workload))");
  }

  @Test
  void embeddedSelectionMatchesTheQueries() {
    var l = GraphBuilderTest.edge("bookinfo", "productpage-v1", "reviews-v1", "reviews", "200", 1).labels();
    var source = new java.util.HashMap<>(l);
    source.put("reporter", "source");
    var dest = new java.util.HashMap<>(l);
    dest.put("reporter", "destination");
    assertThat(GraphQueries.selected(source, Set.of())).isTrue();
    assertThat(GraphQueries.selected(dest, Set.of())).isFalse(); // counted once, by the source
    assertThat(GraphQueries.selected(source, Set.of("bookinfo"))).isTrue();
    assertThat(GraphQueries.selected(source, Set.of("other"))).isFalse();
    dest.put("source_workload", "unknown");
    assertThat(GraphQueries.selected(dest, Set.of("bookinfo"))).isTrue();
  }
}
