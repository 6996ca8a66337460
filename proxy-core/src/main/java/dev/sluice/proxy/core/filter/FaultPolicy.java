package dev.sluice.proxy.core.filter;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.core.route.HeaderMatcher;
import dev.sluice.proxy.core.route.RequestView;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Envoy's {@code extensions.filters.http.fault.v3.HTTPFault}: a fixed delay and/or an abort, each
 * applied to a fraction of the requests that match all {@code headers} (and go to one of {@code
 * upstreamClusters}, when given). The delay comes first; an abort follows it.
 *
 * @param maxActiveFaults the most faults in progress at once; {@code null} means no limit
 */
public record FaultPolicy(
    @Nullable Delay delay,
    @Nullable Abort abort,
    List<HeaderMatcher> headers,
    Set<String> upstreamClusters,
    @Nullable Long maxActiveFaults) {

  /** An empty policy: Istio puts one at the connection manager and the real ones on routes. */
  public static final FaultPolicy NONE = new FaultPolicy(null, null, List.of(), Set.of(), null);

  /** A fixed delay for {@code percentage} of the requests. */
  public record Delay(Duration fixedDelay, Fraction percentage) {
    public Delay {
      requireNonNull(fixedDelay, "fixedDelay");
      requireNonNull(percentage, "percentage");
      if (fixedDelay.isNegative()) {
        throw new IllegalArgumentException("fixed_delay: " + fixedDelay + " (expected: >= 0)");
      }
    }
  }

  /**
   * An abort with an HTTP status or, for gRPC, a {@code grpc-status} in a 200 trailers-only
   * response; the body is {@code fault filter abort}.
   */
  public record Abort(int httpStatus, @Nullable Integer grpcStatus, Fraction percentage) {
    public Abort {
      requireNonNull(percentage, "percentage");
      if (grpcStatus == null && (httpStatus < 200 || httpStatus >= 600)) {
        throw new IllegalArgumentException("http_status: " + httpStatus + " (expected: 200..599)");
      }
    }
  }

  public FaultPolicy {
    headers = List.copyOf(headers);
    upstreamClusters = Set.copyOf(upstreamClusters);
  }

  /** Whether the request's headers and cluster make it eligible for this policy's faults. */
  public boolean matches(RequestView request, @Nullable String cluster) {
    if (!upstreamClusters.isEmpty() && (cluster == null || !upstreamClusters.contains(cluster))) {
      return false;
    }
    for (int i = 0; i < headers.size(); i++) {
      if (!headers.get(i).matches(request)) {
        return false;
      }
    }
    return true;
  }
}
