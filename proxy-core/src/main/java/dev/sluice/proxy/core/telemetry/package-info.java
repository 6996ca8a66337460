/**
 * Telemetry settings parsed from xDS: Istio's stats filter ({@code istio.stats}), peer metadata
 * exchange ({@code istio.metadata_exchange}), the connection manager's {@code tracing} and the
 * listener's traffic direction, which decides the reporter and the span kind.
 */
@org.jspecify.annotations.NullMarked
package dev.sluice.proxy.core.telemetry;
