package dev.sluice.dashboard;

/**
 * A bounded ring of (time, counter value) samples of one series. The only mutable state of the
 * embedded window; a fixed capacity bounds its memory whatever the scrape rate.
 */
final class SeriesRing {
  private final long[] times;
  private final double[] values;
  private int start;
  private int size;

  SeriesRing(int capacity) {
    times = new long[capacity];
    values = new double[capacity];
  }

  synchronized void add(long timeMillis, double value) {
    if (size > 0 && timeMillis <= times[(start + size - 1) % times.length]) {
      return; // clocks only move forward; a duplicate scrape adds nothing
    }
    if (size == times.length) {
      start = (start + 1) % times.length;
      size--;
    }
    times[(start + size) % times.length] = timeMillis;
    values[(start + size) % times.length] = value;
    size++;
  }

  /** Drops samples older than {@code cutoffMillis}; returns whether any sample is left. */
  synchronized boolean trim(long cutoffMillis) {
    while (size > 0 && times[start] < cutoffMillis) {
      start = (start + 1) % times.length;
      size--;
    }
    return size > 0;
  }

  /**
   * Per-second rate of the counter over the samples in {@code [fromMillis, toMillis]}, counting a
   * drop as a reset (like Prometheus's {@code rate}, without its extrapolation to the window's
   * edges); NaN with fewer than two samples.
   */
  synchronized double rate(long fromMillis, long toMillis) {
    int n = 0;
    long firstT = 0;
    long lastT = 0;
    double prev = 0;
    double increase = 0;
    for (int i = 0; i < size; i++) {
      int k = (start + i) % times.length;
      long t = times[k];
      if (t < fromMillis || t > toMillis) {
        continue;
      }
      double v = values[k];
      if (n == 0) {
        firstT = t;
      } else {
        increase += v >= prev ? v - prev : v;
      }
      prev = v;
      lastT = t;
      n++;
    }
    if (n < 2 || lastT == firstT) {
      return Double.NaN;
    }
    return increase * 1000.0 / (lastT - firstT);
  }

  synchronized int size() {
    return size;
  }
}
