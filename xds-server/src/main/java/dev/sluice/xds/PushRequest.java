package dev.sluice.xds;

import java.util.Set;

/**
 * One push: whether everything must be recomputed or only endpoints, the reasons (config keys,
 * services, instances), and when the first of the merged changes happened.
 *
 * @param full false when only workload instances changed (an EDS-only push)
 * @param startNanos the scheduler time of the first change merged into this push
 * @param events how many change events were merged
 */
public record PushRequest(boolean full, Set<String> reasons, long startNanos, int events) {
  public PushRequest {
    reasons = Set.copyOf(reasons);
  }

  /** This request merged with a later one. */
  PushRequest merge(PushRequest later) {
    var r = new java.util.HashSet<>(reasons);
    if (r.size() < 100) {
      r.addAll(later.reasons);
    }
    return new PushRequest(full || later.full, r, Math.min(startNanos, later.startNanos), events + later.events);
  }
}
