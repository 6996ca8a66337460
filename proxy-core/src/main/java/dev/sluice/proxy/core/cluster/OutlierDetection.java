package dev.sluice.proxy.core.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Envoy's {@code cluster.v3.OutlierDetection} (the consecutive-error detectors; success-rate and
 * failure-percentage ejection are not implemented, and Istio always disables them).
 *
 * @param consecutive5xx 5xx responses in a row before an ejection (default 5)
 * @param consecutiveGatewayFailure 502/503/504 in a row (default 5, enforced 0 % by default)
 * @param consecutiveLocalOriginFailure connect failures and timeouts in a row (with {@code
 *     splitExternalLocalOriginErrors}; default 5)
 * @param interval how often ejected hosts are checked for return (default 10 s)
 * @param baseEjectionTime multiplied by the host's ejection count (default 30 s)
 * @param maxEjectionTime the cap of that product (default max(300 s, base))
 * @param maxEjectionPercent hosts that may be ejected at once (default 10 %)
 * @param alwaysEjectOneHost eject one host even when that exceeds {@code maxEjectionPercent}
 */
public record OutlierDetection(
    int consecutive5xx,
    int consecutiveGatewayFailure,
    int consecutiveLocalOriginFailure,
    Duration interval,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    Duration maxEjectionTimeJitter,
    int maxEjectionPercent,
    int enforcingConsecutive5xx,
    int enforcingConsecutiveGatewayFailure,
    int enforcingConsecutiveLocalOriginFailure,
    boolean splitExternalLocalOriginErrors,
    boolean alwaysEjectOneHost) {

  /** Envoy's defaults (an empty {@code outlier_detection: {}}). */
  public static final OutlierDetection DEFAULT = new OutlierDetection(5, 5, 5, Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(300), Duration.ZERO, 10, 100, 0, 100, false, false);

  public OutlierDetection {
    requireNonNull(interval, "interval");
    requireNonNull(baseEjectionTime, "baseEjectionTime");
    requireNonNull(maxEjectionTime, "maxEjectionTime");
    requireNonNull(maxEjectionTimeJitter, "maxEjectionTimeJitter");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
    }
    if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
      throw new IllegalArgumentException("max_ejection_time: " + maxEjectionTime
          + " (expected: >= base_ejection_time " + baseEjectionTime + ")");
    }
    for (int p : new int[] {maxEjectionPercent, enforcingConsecutive5xx,
        enforcingConsecutiveGatewayFailure, enforcingConsecutiveLocalOriginFailure}) {
      if (p < 0 || p > 100) {
        throw new IllegalArgumentException("percent: " + p + " (expected: 0..100)");
      }
    }
  }
}
