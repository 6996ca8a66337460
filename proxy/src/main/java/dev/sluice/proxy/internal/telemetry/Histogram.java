package dev.sluice.proxy.internal.telemetry;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram with fixed bounds: lock-free adders per bucket, rendered cumulatively.
 * The default bounds are Envoy's ({@code HistogramOptionsImpl::defaultBuckets}), which Istio's
 * metrics use for milliseconds and bytes alike.
 */
public final class Histogram {
  /** Envoy's default histogram buckets. */
  public static final double[] ENVOY_BUCKETS = {
      0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
      1800000, 3600000};
  private static final String[] ENVOY_LE = les(ENVOY_BUCKETS);

  private final double[] bounds;
  private final String[] le;
  /** counts[i] = values in (bounds[i-1], bounds[i]]; the last one counts values above every bound. */
  private final LongAdder[] counts;
  private final DoubleAdder sum = new DoubleAdder();

  /** A histogram with Envoy's default buckets. */
  public Histogram() {
    this(ENVOY_BUCKETS, ENVOY_LE);
  }

  private Histogram(double[] bounds, String[] le) {
    this.bounds = bounds;
    this.le = le;
    this.counts = new LongAdder[bounds.length + 1];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Records one value. */
  public void record(double v) {
    int lo = 0;
    int hi = bounds.length;
    while (lo < hi) { // the first bound >= v
      int mid = (lo + hi) >>> 1;
      if (bounds[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    counts[lo].increment();
    sum.add(v);
  }

  /** The number of values recorded. */
  public long count() {
    long n = 0;
    for (LongAdder c : counts) {
      n += c.sum();
    }
    return n;
  }

  /** Cumulative count of values at most {@code bounds[i]}. */
  long cumulative(int i) {
    long n = 0;
    for (int j = 0; j <= i; j++) {
      n += counts[j].sum();
    }
    return n;
  }

  /** Appends the {@code _bucket}, {@code _sum} and {@code _count} lines. */
  void render(StringBuilder sb, String name, String labels) {
    long acc = 0;
    for (int i = 0; i < bounds.length; i++) {
      acc += counts[i].sum();
      sb.append(name).append("_bucket{").append(labels).append(",le=\"").append(le[i]).append("\"} ")
          .append(acc).append('\n');
    }
    acc += counts[bounds.length].sum();
    sb.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(acc).append('\n');
    sb.append(name).append("_sum{").append(labels).append("} ").append(formatValue(sum.sum())).append('\n');
    sb.append(name).append("_count{").append(labels).append("} ").append(acc).append('\n');
  }

  private static String[] les(double[] bounds) {
    String[] out = new String[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      out[i] = formatBound(bounds[i]);
    }
    return out;
  }

  /** A bound as Envoy prints it (C's {@code %g}: {@code 0.5}, {@code 1000}, {@code 1.8e+06}). */
  static String formatBound(double v) {
    if (v >= 1e6) {
      int exp = (int) Math.floor(Math.log10(v));
      String mantissa = java.math.BigDecimal.valueOf(v / Math.pow(10, exp)).stripTrailingZeros().toPlainString();
      return mantissa + "e+" + (exp < 10 ? "0" : "") + exp;
    }
    return v == Math.rint(v) ? Long.toString((long) v) : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static String formatValue(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
