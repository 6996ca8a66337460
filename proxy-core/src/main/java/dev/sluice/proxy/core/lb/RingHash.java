package dev.sluice.proxy.core.lb;

import dev.sluice.proxy.core.cluster.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Ketama-style consistent hashing: each host owns points on a 64-bit ring in proportion to its
 * weight (at least {@code minRingSize} points in total, at most {@code maxRingSize}); a request
 * goes to the first point at or after its hash. Without a hash the pick is random.
 */
final class RingHash implements LoadBalancer {
  private final long[] points;
  private final int[] owners;

  RingHash(HostSet hosts, List<Endpoint> endpoints, long minRingSize, long maxRingSize) {
    int n = hosts.size();
    double total = 0;
    int minWeight = Integer.MAX_VALUE;
    for (int w : hosts.weights()) {
      total += w;
      minWeight = Math.min(minWeight, w);
    }
    // Scale so the lightest host gets at least one point and the ring has >= minRingSize points.
    double minNormalized = minWeight / total;
    double scale = Math.min(Math.ceil(minNormalized * minRingSize) / minNormalized, maxRingSize);
    int size = 0;
    int[] perHost = new int[n];
    for (int k = 0; k < n; k++) {
      perHost[k] = (int) Math.max(1, Math.round(hosts.weights()[k] / total * scale));
      size += perHost[k];
    }
    long[] p = new long[size];
    int[] o = new int[size];
    int at = 0;
    for (int k = 0; k < n; k++) {
      String base = endpoints.get(hosts.indexes()[k]).hostPort() + "_";
      for (int j = 0; j < perHost[k]; j++) {
        p[at] = Hashing.xxHash64((base + j).getBytes(StandardCharsets.UTF_8), 0);
        o[at] = hosts.indexes()[k];
        at++;
      }
    }
    // Sort points (unsigned order) with their owners.
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compareUnsigned(p[a], p[b]));
    points = new long[size];
    owners = new int[size];
    for (int i = 0; i < size; i++) {
      points[i] = p[order[i]];
      owners[i] = o[order[i]];
    }
  }

  int size() {
    return points.length;
  }

  @Override
  public int pick(@Nullable Long hash, RandomGenerator random) {
    long h = hash != null ? hash : random.nextLong();
    int lo = 0;
    int hi = points.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(points[mid], h) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return owners[lo == points.length ? 0 : lo];
  }
}
