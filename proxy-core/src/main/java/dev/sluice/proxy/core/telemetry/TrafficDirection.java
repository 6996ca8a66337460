package dev.sluice.proxy.core.telemetry;

/** Envoy's listener {@code traffic_direction}: Istio marks sidecar listeners INBOUND or OUTBOUND. */
public enum TrafficDirection {
  UNSPECIFIED,
  INBOUND,
  OUTBOUND
}
