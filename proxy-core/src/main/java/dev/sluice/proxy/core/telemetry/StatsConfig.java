package dev.sluice.proxy.core.telemetry;

import org.jspecify.annotations.Nullable;

/**
 * Istio's stats filter ({@code istio.stats}, HTTP or network): the proxy records Istio's standard
 * metrics for the connection manager or TCP proxy it precedes.
 *
 * @param reporter the reporter; {@code null} derives it from the listener's traffic direction
 *     (INBOUND → destination, otherwise source), as Istio does
 */
public record StatsConfig(@Nullable Reporter reporter) {
  /** Reporter from the traffic direction. */
  public static final StatsConfig DEFAULT = new StatsConfig(null);

  /** The effective reporter on a listener with direction {@code d}. */
  public Reporter reporterFor(TrafficDirection d) {
    return reporter != null ? reporter : Reporter.of(d);
  }
}
