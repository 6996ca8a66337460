package dev.sluice.dashboard;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** A latency quantile (milliseconds) of one group of {@code istio_request_duration_milliseconds}. */
public record LatencySample(Map<String, String> labels, double millis) {
  public LatencySample {
    labels = Map.copyOf(requireNonNull(labels, "labels"));
  }
}
