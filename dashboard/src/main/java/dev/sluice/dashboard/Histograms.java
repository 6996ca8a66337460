package dev.sluice.dashboard;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Prometheus's {@code histogram_quantile} over cumulative bucket rates keyed by their {@code le}. */
final class Histograms {
  private Histograms() {}

  /**
   * The {@code q}-quantile, interpolated linearly inside the bucket it falls in (as Prometheus
   * does); the upper bound of the last finite bucket when it falls into {@code +Inf}; NaN when
   * there was no traffic.
   */
  static double quantile(double q, Map<Double, Double> cumulativeByLe) {
    NavigableMap<Double, Double> buckets = new TreeMap<>(cumulativeByLe);
    if (buckets.isEmpty() || !buckets.lastKey().isInfinite()) {
      return Double.NaN;
    }
    double total = buckets.lastEntry().getValue();
    if (!(total > 0)) {
      return Double.NaN;
    }
    double rank = q * total;
    double prevLe = 0;
    double prevCount = 0;
    for (Map.Entry<Double, Double> b : buckets.entrySet()) {
      double le = b.getKey();
      double count = Math.max(b.getValue(), prevCount); // rates of cumulative buckets may jitter
      if (count >= rank) {
        if (Double.isInfinite(le)) {
          return prevLe;
        }
        if (count == prevCount) {
          return le;
        }
        double lower = prevLe <= 0 && le <= 0 ? le : prevLe;
        return lower + (le - lower) * (rank - prevCount) / (count - prevCount);
      }
      prevLe = le;
      prevCount = count;
    }
    return prevLe;
  }
}
