package dev.sluice.dashboard;

import java.util.List;

/** Istio's metric and label names the graph relies on (reference: A2.2, A3.2). */
public final class IstioLabels {
  private IstioLabels() {}

  public static final String REQUESTS_TOTAL = "istio_requests_total";
  public static final String DURATION_BUCKET = "istio_request_duration_milliseconds_bucket";
  public static final String UNKNOWN = "unknown";

  /** Kiali's graph group-by ({@code kiali/kiali graph/telemetry/istio/istio.go}), in its order. */
  public static final List<String> GRAPH_GROUP_BY = List.of(
      "source_workload_namespace", "source_workload", "source_canonical_service", "source_canonical_revision",
      "destination_service_namespace", "destination_service", "destination_service_name",
      "destination_workload_namespace", "destination_workload", "destination_canonical_service",
      "destination_canonical_revision", "request_protocol", "response_code", "grpc_response_status",
      "response_flags");
}
