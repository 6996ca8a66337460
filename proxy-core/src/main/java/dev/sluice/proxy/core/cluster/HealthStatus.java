package dev.sluice.proxy.core.cluster;

/** An endpoint's health as reported by EDS (Envoy's {@code core.v3.HealthStatus}). */
public enum HealthStatus {
  UNKNOWN,
  HEALTHY,
  UNHEALTHY,
  DRAINING,
  TIMEOUT,
  DEGRADED;

  /** Envoy routes to UNKNOWN and HEALTHY endpoints; DEGRADED only when nothing else is left. */
  public boolean isHealthy() {
    return this == UNKNOWN || this == HEALTHY;
  }
}
