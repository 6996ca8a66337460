package dev.sluice.proxy.core.telemetry;

/** The {@code reporter} label of Istio's metrics: which side of a request this proxy is. */
public enum Reporter {
  /** The client side (outbound): this proxy's workload is the source. */
  SOURCE("source"),
  /** The server side (inbound): this proxy's workload is the destination. */
  DESTINATION("destination"),
  /** A waypoint. */
  WAYPOINT("waypoint");

  private final String label;

  Reporter(String label) {
    this.label = label;
  }

  /** The label value. */
  public String label() {
    return label;
  }

  /** The reporter of a listener without an explicit one: INBOUND reports as destination. */
  public static Reporter of(TrafficDirection d) {
    return d == TrafficDirection.INBOUND ? DESTINATION : SOURCE;
  }
}
