package dev.sluice.dashboard;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** One series of {@code istio_requests_total} reduced to a rate: its grouped labels and requests/s. */
public record TrafficSample(Map<String, String> labels, double perSecond) {
  public TrafficSample {
    labels = Map.copyOf(requireNonNull(labels, "labels"));
  }

  /** The label's value, {@code unknown} when absent (Istio's convention). */
  public String label(String name) {
    return labels.getOrDefault(name, IstioLabels.UNKNOWN);
  }
}
