package dev.sluice.proxy.core.lb;

import dev.sluice.proxy.core.cluster.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Maglev hashing (Eisenbud et al., NSDI 2016) with weights: a lookup table of prime size filled
 * by each host's permutation, hosts taking turns in proportion to their weight. A request goes to
 * {@code table[hash mod size]}; without a hash the pick is random.
 */
final class Maglev implements LoadBalancer {
  private final int[] table;

  Maglev(HostSet hosts, List<Endpoint> endpoints, int tableSize) {
    int n = hosts.size();
    long[] offset = new long[n];
    long[] skip = new long[n];
    long[] next = new long[n];
    double[] credit = new double[n];
    int maxWeight = Arrays.stream(hosts.weights()).max().orElse(1);
    for (int k = 0; k < n; k++) {
      byte[] key = endpoints.get(hosts.indexes()[k]).hostPort().getBytes(StandardCharsets.UTF_8);
      offset[k] = Long.remainderUnsigned(Hashing.xxHash64(key, 0), tableSize);
      skip[k] = Long.remainderUnsigned(Hashing.xxHash64(key, 1), tableSize - 1) + 1;
    }
    table = new int[tableSize];
    Arrays.fill(table, -1);
    int filled = 0;
    while (filled < tableSize) {
      for (int k = 0; k < n && filled < tableSize; k++) {
        credit[k] += (double) hosts.weights()[k] / maxWeight;
        if (credit[k] < 1.0) {
          continue;
        }
        credit[k] -= 1.0;
        int slot;
        do {
          slot = (int) ((offset[k] + next[k] * skip[k]) % tableSize);
          next[k]++;
        } while (table[slot] >= 0);
        table[slot] = hosts.indexes()[k];
        filled++;
      }
    }
  }

  @Override
  public int pick(@Nullable Long hash, RandomGenerator random) {
    long h = hash != null ? hash : random.nextLong();
    return table[(int) Long.remainderUnsigned(h, table.length)];
  }
}
