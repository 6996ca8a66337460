package dev.sluice.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * Where the dashboard's numbers come from: Kiali's graph questions over Istio's standard metrics.
 * Implementations: {@link PrometheusSource} (a real Prometheus) and {@link EmbeddedScraper}
 * (sluiced scrapes the proxies itself).
 *
 * <p>Both answer with the same series so that {@link GraphBuilder} cannot tell them apart.
 */
public interface MetricsSource {

  /**
   * {@code sum(rate(istio_requests_total{…}[window])) by (Kiali's group-by)} at {@code query.at()}
   * for Kiali's three selections ({@link GraphQueries}); series with a zero rate are left out.
   * Every sample's labels hold exactly {@link IstioLabels#GRAPH_GROUP_BY}.
   */
  List<TrafficSample> requests(TrafficQuery query);

  /**
   * {@code histogram_quantile(quantile, sum(rate(istio_request_duration_milliseconds_bucket{…}[window]))
   * by (le, groupBy))} for the same selections; groups without traffic are left out.
   */
  List<LatencySample> latency(TrafficQuery query, double quantile, List<String> groupBy);

  /** The time the source considers "now" (a fake clock in tests, the wall clock otherwise). */
  default Instant now() {
    return Instant.now();
  }

  /** One line for the UI's status bar: which source and where. */
  String describe();
}
