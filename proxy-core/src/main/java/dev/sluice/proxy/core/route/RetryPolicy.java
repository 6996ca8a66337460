package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Envoy's route {@code retry_policy} and the router's retry decisions (RetryStateImpl): which
 * responses and resets are retried, how many times, how long each try may take, which host a retry
 * may use, and the jittered exponential back-off between tries.
 *
 * <pre>{@code
 * RetryPolicy p = RetryPolicy.istioDefault();
 * p.retriableResponse(503, null);   // false: Istio's default lists no status codes
 * p.retriableReset(true, false);    // true: connect-failure
 * }</pre>
 *
 * @param numRetries retries after the first try (Envoy's default 1)
 * @param perTryTimeout the timeout of each try; {@link Duration#ZERO} means none
 * @param retriableStatusCodes the codes of {@code retriable-status-codes}
 * @param previousHosts the {@code envoy.retry_host_predicates.previous_hosts} predicate
 * @param hostSelectionMaxAttempts how often a host is re-picked when the predicate rejects it
 * @param backoffBase the base interval (default 25 ms)
 * @param backoffMax the longest interval (default 10 × base)
 */
public record RetryPolicy(
    Set<RetryOn> retryOn,
    int numRetries,
    Duration perTryTimeout,
    Set<Integer> retriableStatusCodes,
    boolean previousHosts,
    int hostSelectionMaxAttempts,
    Duration backoffBase,
    Duration backoffMax) {

  /** The conditions of {@code retry_on} (HTTP) and {@code retry_grpc_on} names. */
  public enum RetryOn {
    FIVE_XX("5xx"),
    GATEWAY_ERROR("gateway-error"),
    RESET("reset"),
    RESET_BEFORE_REQUEST("reset-before-request"),
    CONNECT_FAILURE("connect-failure"),
    RETRIABLE_4XX("retriable-4xx"),
    REFUSED_STREAM("refused-stream"),
    RETRIABLE_STATUS_CODES("retriable-status-codes"),
    RETRIABLE_HEADERS("retriable-headers"),
    ENVOY_RATELIMITED("envoy-ratelimited"),
    HTTP3_POST_CONNECT_FAILURE("http3-post-connect-failure"),
    CANCELLED("cancelled"),
    DEADLINE_EXCEEDED("deadline-exceeded"),
    INTERNAL("internal"),
    RESOURCE_EXHAUSTED("resource-exhausted"),
    UNAVAILABLE("unavailable");

    final String token;

    RetryOn(String token) {
      this.token = token;
    }

    /** The {@code retry_on} token. */
    public String token() {
      return token;
    }
  }

  public RetryPolicy {
    retryOn = Set.copyOf(retryOn);
    retriableStatusCodes = Set.copyOf(retriableStatusCodes);
    requireNonNull(perTryTimeout, "perTryTimeout");
    requireNonNull(backoffBase, "backoffBase");
    requireNonNull(backoffMax, "backoffMax");
    if (numRetries < 0) {
      throw new IllegalArgumentException("num_retries: " + numRetries + " (expected: >= 0)");
    }
    if (hostSelectionMaxAttempts < 1) {
      throw new IllegalArgumentException(
          "host_selection_retry_max_attempts: " + hostSelectionMaxAttempts + " (expected: >= 1)");
    }
    if (perTryTimeout.isNegative()) {
      throw new IllegalArgumentException("per_try_timeout: " + perTryTimeout + " (expected: >= 0)");
    }
    if (backoffBase.isNegative() || backoffBase.isZero()) {
      throw new IllegalArgumentException(
          "retry_back_off.base_interval: " + backoffBase + " (expected: > 0)");
    }
    if (backoffMax.compareTo(backoffBase) < 0) {
      throw new IllegalArgumentException("retry_back_off.max_interval: " + backoffMax
          + " (expected: >= base_interval " + backoffBase + ")");
    }
  }

  /**
   * Parses a comma-separated {@code retry_on} (HTTP and gRPC names). Unknown names are ignored,
   * as Envoy does.
   */
  public static Set<RetryOn> parseRetryOn(String csv) {
    EnumSet<RetryOn> out = EnumSet.noneOf(RetryOn.class);
    for (String t : csv.split(",")) {
      String token = t.trim().toLowerCase(Locale.ROOT);
      for (RetryOn r : RetryOn.values()) {
        if (r.token.equals(token)) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /**
   * Istio's default outbound policy (retry.go): 2 retries on {@code connect-failure,
   * refused-stream,unavailable,cancelled,retriable-status-codes} without codes, previous hosts,
   * 5 host selection attempts.
   */
  public static RetryPolicy istioDefault() {
    return new RetryPolicy(
        parseRetryOn("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"),
        2, Duration.ZERO, Set.of(), true, 5, Duration.ofMillis(25), Duration.ofMillis(250));
  }

  /**
   * Whether a response with {@code status} (and the {@code grpc-status} header, if any) would be
   * retried (Envoy's {@code wouldRetryFromHeaders}).
   */
  public boolean retriableResponse(int status, @Nullable String grpcStatus) {
    if (retryOn.contains(RetryOn.FIVE_XX) && status >= 500 && status < 600) {
      return true;
    }
    if (retryOn.contains(RetryOn.GATEWAY_ERROR) && (status == 502 || status == 503 || status == 504)) {
      return true;
    }
    if (retryOn.contains(RetryOn.RETRIABLE_4XX) && status == 409) {
      return true;
    }
    if (retryOn.contains(RetryOn.RETRIABLE_STATUS_CODES) && retriableStatusCodes.contains(status)) {
      return true;
    }
    if (grpcStatus != null) {
      RetryOn grpc = switch (grpcStatus.trim()) {
        case "1" -> RetryOn.CANCELLED;
        case "4" -> RetryOn.DEADLINE_EXCEEDED;
        case "8" -> RetryOn.RESOURCE_EXHAUSTED;
        case "13" -> RetryOn.INTERNAL;
        case "14" -> RetryOn.UNAVAILABLE;
        default -> null;
      };
      return grpc != null && retryOn.contains(grpc);
    }
    return false;
  }

  /**
   * Whether a failed try would be retried (Envoy's {@code wouldRetryFromReset}).
   *
   * @param connectFailure the connection could not be made (refused, connect timeout)
   * @param requestStarted some of the request was written upstream
   */
  public boolean retriableReset(boolean connectFailure, boolean requestStarted) {
    if (connectFailure && retryOn.contains(RetryOn.CONNECT_FAILURE)) {
      return true;
    }
    if (retryOn.contains(RetryOn.FIVE_XX) || retryOn.contains(RetryOn.GATEWAY_ERROR)
        || retryOn.contains(RetryOn.RESET)) {
      return true;
    }
    return retryOn.contains(RetryOn.RESET_BEFORE_REQUEST) && !requestStarted;
  }

  /**
   * Whether a try that ran into its per-try timeout would be retried: Envoy handles it as a
   * local reset.
   */
  public boolean retriablePerTryTimeout() {
    return retriableReset(false, true);
  }

  /**
   * The fully jittered exponential back-off before retry number {@code retry} (1-based): a random
   * value below {@code min((2^retry - 1) × base, max)}.
   */
  public long backoffMillis(int retry, RandomGenerator random) {
    long base = backoffBase.toMillis();
    long max = backoffMax.toMillis();
    long multiplier = retry >= 62 ? Long.MAX_VALUE : (1L << retry) - 1;
    long ceiling = multiplier > max / Math.max(1, base) ? max : multiplier * base;
    return ceiling <= 0 ? 0 : random.nextLong(ceiling);
  }
}
