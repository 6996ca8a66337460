package dev.sluice.dashboard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * One graph question: the traffic of the {@code window} ending at {@code at}, touching
 * {@code namespaces} (all namespaces when empty).
 */
public record TrafficQuery(Duration window, Instant at, Set<String> namespaces) {
  public TrafficQuery {
    requireNonNull(window, "window");
    requireNonNull(at, "at");
    namespaces = Set.copyOf(namespaces);
    if (window.toSeconds() < 1) {
      throw new IllegalArgumentException("window: " + window + " (expected: >= 1s)");
    }
  }

  /** All namespaces. */
  public static TrafficQuery of(Duration window, Instant at) {
    return new TrafficQuery(window, at, Set.of());
  }

  TrafficQuery withWindow(Duration newWindow, Instant newAt) {
    return new TrafficQuery(newWindow, newAt, namespaces);
  }
}
