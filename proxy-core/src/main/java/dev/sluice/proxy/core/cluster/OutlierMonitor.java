package dev.sluice.proxy.core.cluster;

import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The outlier state of one host. Results are reported from any event loop (lock-free counters);
 * a report that reaches a threshold returns the ejection type, which the caller hands to the
 * single thread that runs {@link OutlierDetector} (as Envoy posts it to its main thread).
 */
public final class OutlierMonitor {
  /** What was detected. */
  public enum EjectionType {
    CONSECUTIVE_5XX,
    CONSECUTIVE_GATEWAY_FAILURE,
    CONSECUTIVE_LOCAL_ORIGIN_FAILURE
  }

  /** A result that did not come from the upstream's HTTP status. */
  public enum LocalResult {
    CONNECT_SUCCESS,
    CONNECT_FAILED,
    TIMEOUT
  }

  private final AtomicInteger consecutive5xx = new AtomicInteger();
  private final AtomicInteger consecutiveGateway = new AtomicInteger();
  private final AtomicInteger consecutiveLocalOrigin = new AtomicInteger();

  // Written only by the detector thread; read by admin and the balancer builder.
  volatile boolean ejected;
  volatile int numEjections;
  int ejectTimeBackoff;
  long lastEjectionNanos;
  boolean unejectedOnce;
  long lastUnejectionNanos;
  long jitterNanos;

  /** Whether the host is ejected now. */
  public boolean ejected() {
    return ejected;
  }

  /** How often the host has been ejected. */
  public int numEjections() {
    return numEjections;
  }

  /**
   * Records an HTTP status from the host (Envoy's {@code putHttpResponseCode}).
   *
   * @return the detection this result completed, or {@code null}
   */
  public @Nullable EjectionType putHttpStatus(OutlierDetection config, int status) {
    if (status >= 500 && status < 600) {
      EjectionType result = null;
      if (status == 502 || status == 503 || status == 504) {
        if (consecutiveGateway.incrementAndGet() == config.consecutiveGatewayFailure()) {
          result = EjectionType.CONSECUTIVE_GATEWAY_FAILURE;
        }
      } else {
        consecutiveGateway.set(0);
      }
      if (consecutive5xx.incrementAndGet() == config.consecutive5xx()) {
        result = EjectionType.CONSECUTIVE_5XX;
      }
      return result;
    }
    consecutive5xx.set(0);
    consecutiveGateway.set(0);
    return null;
  }

  /**
   * Records a local-origin result. Without {@code split_external_local_origin_errors} a connect
   * failure counts as a 503 and a timeout as a 504, as Envoy maps them.
   */
  public @Nullable EjectionType putLocal(OutlierDetection config, LocalResult result) {
    if (!config.splitExternalLocalOriginErrors()) {
      return switch (result) {
        case CONNECT_SUCCESS -> null;
        case CONNECT_FAILED -> putHttpStatus(config, 503);
        case TIMEOUT -> putHttpStatus(config, 504);
      };
    }
    if (result == LocalResult.CONNECT_SUCCESS) {
      consecutiveLocalOrigin.set(0);
      return null;
    }
    return consecutiveLocalOrigin.incrementAndGet() == config.consecutiveLocalOriginFailure()
        ? EjectionType.CONSECUTIVE_LOCAL_ORIGIN_FAILURE : null;
  }

  void resetCounter(EjectionType type) {
    switch (type) {
      case CONSECUTIVE_5XX -> consecutive5xx.set(0);
      case CONSECUTIVE_GATEWAY_FAILURE -> consecutiveGateway.set(0);
      case CONSECUTIVE_LOCAL_ORIGIN_FAILURE -> consecutiveLocalOrigin.set(0);
    }
  }

  void resetAll() {
    consecutive5xx.set(0);
    consecutiveGateway.set(0);
    consecutiveLocalOrigin.set(0);
  }
}
