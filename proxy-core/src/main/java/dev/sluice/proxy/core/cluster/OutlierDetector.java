package dev.sluice.proxy.core.cluster;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Envoy's consecutive-error outlier detector for one cluster, as pure logic over {@link
 * OutlierMonitor}s with the time passed in. All methods run on one thread (the proxy's xDS thread).
 *
 * <p>Ejection: a detected host is ejected when {@code 100 × (ejected + 1) / hosts <=
 * max_ejection_percent}, or when {@code always_eject_one_host} is set and nothing is ejected yet.
 * So with Envoy's and Istio's default 10 %, a cluster of fewer than 10 hosts never ejects unless
 * {@code always_eject_one_host} is set (the current Envoy semantics; see docs/proxy.md).
 * Return: on each interval tick, a host ejected for {@code min(base × backoff, max) + jitter}
 * comes back; the backoff grows with each ejection and shrinks again for each interval a returned
 * host stays healthy.
 */
public final class OutlierDetector {
  private final OutlierDetection config;
  private final RandomGenerator random;

  /** Outcomes of {@link #onDetected}. */
  public enum Outcome {
    EJECTED,
    /** Over max_ejection_percent (stat {@code ejections_overflow}). */
    OVERFLOW,
    /** Detected but not enforced (the enforcing_* percentage said no). */
    NOT_ENFORCED,
    /** Already ejected or not a member. */
    IGNORED
  }

  public OutlierDetector(OutlierDetection config, RandomGenerator random) {
    this.config = requireNonNull(config, "config");
    this.random = requireNonNull(random, "random");
  }

  public OutlierDetection config() {
    return config;
  }

  /**
   * Handles a detection reported by {@link OutlierMonitor#putHttpStatus} or {@link
   * OutlierMonitor#putLocal}.
   *
   * @param hosts every monitor of the cluster (for the ejection percentage)
   */
  public Outcome onDetected(OutlierMonitor host, OutlierMonitor.EjectionType type,
      Collection<OutlierMonitor> hosts, long nowNanos) {
    if (host.ejected || !hosts.contains(host)) {
      return Outcome.IGNORED;
    }
    host.resetCounter(type);
    long ejected = hosts.stream().filter(OutlierMonitor::ejected).count();
    double percent = 100.0 * (ejected + 1) / hosts.size();
    boolean eject = percent <= Math.min(100, config.maxEjectionPercent());
    if (config.alwaysEjectOneHost() && ejected == 0) {
      eject = true;
    }
    if (!eject) {
      return Outcome.OVERFLOW;
    }
    int enforcing = switch (type) {
      case CONSECUTIVE_5XX -> config.enforcingConsecutive5xx();
      case CONSECUTIVE_GATEWAY_FAILURE -> config.enforcingConsecutiveGatewayFailure();
      case CONSECUTIVE_LOCAL_ORIGIN_FAILURE -> config.enforcingConsecutiveLocalOriginFailure();
    };
    if (enforcing < 100 && random.nextInt(100) >= enforcing) {
      return Outcome.NOT_ENFORCED;
    }
    host.ejected = true;
    host.numEjections++;
    host.lastEjectionNanos = nowNanos;
    long jitterMax = config.maxEjectionTimeJitter().toNanos();
    host.jitterNanos = jitterMax <= 0 ? 0 : random.nextLong(jitterMax + 1);
    long base = config.baseEjectionTime().toNanos();
    long max = config.maxEjectionTime().toNanos();
    if ((double) host.ejectTimeBackoff * base < (double) max + base) {
      host.ejectTimeBackoff++;
    }
    return Outcome.EJECTED;
  }

  /**
   * The interval tick: returns the hosts whose ejection time is over (now unejected) and lowers
   * the backoff of hosts that stayed healthy for an interval since they returned.
   */
  public List<OutlierMonitor> onInterval(Collection<OutlierMonitor> hosts, long nowNanos) {
    List<OutlierMonitor> returned = new ArrayList<>();
    long base = config.baseEjectionTime().toNanos();
    long max = config.maxEjectionTime().toNanos();
    for (OutlierMonitor h : hosts) {
      if (h.ejected) {
        long ejectFor = (long) Math.min((double) base * h.ejectTimeBackoff, max) + h.jitterNanos;
        if (nowNanos - h.lastEjectionNanos >= ejectFor) {
          h.ejected = false;
          h.resetAll();
          h.unejectedOnce = true;
          h.lastUnejectionNanos = nowNanos;
          returned.add(h);
        }
      }
    }
    long interval = config.interval().toNanos();
    for (OutlierMonitor h : hosts) {
      if (!h.ejected && h.unejectedOnce && nowNanos - h.lastUnejectionNanos >= interval
          && h.ejectTimeBackoff > 0) {
        h.ejectTimeBackoff--;
      }
    }
    return returned;
  }
}
