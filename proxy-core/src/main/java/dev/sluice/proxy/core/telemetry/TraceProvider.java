package dev.sluice.proxy.core.telemetry;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** Where spans go: Envoy's {@code tracing.provider}. */
public sealed interface TraceProvider {

  /**
   * {@code envoy.tracers.zipkin}: Zipkin v2 JSON posted to {@code collectorEndpoint} on a host of
   * {@code collectorCluster}.
   *
   * @param collectorHostname the {@code host} header; {@code null} uses the cluster name
   */
  record Zipkin(String collectorCluster, String collectorEndpoint, @Nullable String collectorHostname)
      implements TraceProvider {
    public Zipkin {
      requireNonNull(collectorCluster, "collectorCluster");
      requireNonNull(collectorEndpoint, "collectorEndpoint");
      if (collectorCluster.isEmpty()) {
        throw new IllegalArgumentException("collector_cluster: \"\" (expected: a cluster name)");
      }
      if (!collectorEndpoint.startsWith("/")) {
        throw new IllegalArgumentException("collector_endpoint: " + collectorEndpoint + " (expected: a path)");
      }
    }
  }

  /**
   * {@code envoy.tracers.opentelemetry}: OTLP to a host of {@code cluster}, over gRPC ({@code
   * httpPath == null}) or HTTP (protobuf posted to {@code httpPath}, usually {@code /v1/traces}).
   */
  record OpenTelemetry(String cluster, @Nullable String httpPath, String serviceName) implements TraceProvider {
    public OpenTelemetry {
      requireNonNull(cluster, "cluster");
      requireNonNull(serviceName, "serviceName");
      if (cluster.isEmpty()) {
        throw new IllegalArgumentException("cluster_name: \"\" (expected: a cluster name)");
      }
    }
  }
}
