/**
 * Istio-compatible telemetry for the proxy runtime: peer metadata exchange ({@link PeerMetadata}),
 * Istio's standard metrics ({@link IstioMetrics}), trace context propagation ({@link
 * TraceContext}) and span export ({@link Tracer}). Nothing here blocks an event loop: metrics are
 * lock-free adders, spans go through a lock-free queue to one exporter thread. Not an API.
 */
@org.jspecify.annotations.NullMarked
package dev.sluice.proxy.internal.telemetry;
