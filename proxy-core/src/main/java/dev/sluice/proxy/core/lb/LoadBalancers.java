package dev.sluice.proxy.core.lb;

import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.cluster.Endpoint;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/** Builds the balancer of a cluster's policy over a set of endpoints. */
public final class LoadBalancers {
  private LoadBalancers() {}

  /**
   * Creates a balancer.
   *
   * @param activeRequests active requests of the endpoint at an index (for LEAST_REQUEST)
   */
  public static LoadBalancer create(
      Cluster cluster, List<Endpoint> endpoints, IntUnaryOperator activeRequests) {
    HostSet hosts = HostSet.select(endpoints, cluster.healthyPanicThreshold());
    if (hosts.size() == 0) {
      return (hash, random) -> -1;
    }
    return switch (cluster.lbPolicy()) {
      case ROUND_ROBIN -> new RoundRobin(hosts);
      case RANDOM -> new WeightedRandom(hosts);
      case LEAST_REQUEST ->
          new LeastRequest(hosts, activeRequests, cluster.leastRequestChoiceCount());
      case RING_HASH ->
          new RingHash(hosts, endpoints, cluster.hashConfig().minRingSize(),
              cluster.hashConfig().maxRingSize());
      case MAGLEV -> new Maglev(hosts, endpoints, (int) cluster.hashConfig().maglevTableSize());
    };
  }

  /** Weighted round robin over a precomputed smooth sequence (lock-free: one atomic counter). */
  static final class RoundRobin implements LoadBalancer {
    private final int[] sequence;
    private final AtomicInteger next = new AtomicInteger();

    RoundRobin(HostSet hosts) {
      if (hosts.equalWeights()) {
        sequence = hosts.indexes().clone();
      } else {
        int[] w = scaled(hosts.weights(), 4096);
        int total = Arrays.stream(w).sum();
        sequence = new int[total];
        long[] current = new long[w.length];
        for (int s = 0; s < total; s++) {
          int best = 0;
          for (int k = 0; k < w.length; k++) {
            current[k] += w[k];
            if (current[k] > current[best]) {
              best = k;
            }
          }
          current[best] -= total;
          sequence[s] = hosts.indexes()[best];
        }
      }
    }

    @Override
    public int pick(@Nullable Long hash, RandomGenerator random) {
      return sequence[Math.floorMod(next.getAndIncrement(), sequence.length)];
    }
  }

  /** Reduces weights by their gcd, then scales them so that their sum is at most {@code cap}. */
  static int[] scaled(int[] weights, int cap) {
    int g = 0;
    long sum = 0;
    for (int w : weights) {
      g = gcd(g, w);
    }
    int[] r = new int[weights.length];
    for (int k = 0; k < r.length; k++) {
      r[k] = weights[k] / g;
      sum += r[k];
    }
    if (sum > cap) {
      for (int k = 0; k < r.length; k++) {
        r[k] = (int) Math.max(1, r[k] * (long) cap / sum);
      }
    }
    return r;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** Weighted random choice by prefix sums. */
  static final class WeightedRandom implements LoadBalancer {
    private final int[] indexes;
    private final long[] cumulative;

    WeightedRandom(HostSet hosts) {
      indexes = hosts.indexes();
      cumulative = new long[indexes.length];
      long acc = 0;
      for (int k = 0; k < indexes.length; k++) {
        acc += hosts.weights()[k];
        cumulative[k] = acc;
      }
    }

    int pickPosition(RandomGenerator random) {
      long r = random.nextLong(cumulative[cumulative.length - 1]);
      int pos = Arrays.binarySearch(cumulative, r + 1);
      return pos >= 0 ? pos : -pos - 1;
    }

    @Override
    public int pick(@Nullable Long hash, RandomGenerator random) {
      return indexes[pickPosition(random)];
    }
  }

  /**
   * Least request by power of {@code choices} choices: sample hosts (by weight) and take the one
   * with the fewest active requests.
   */
  static final class LeastRequest implements LoadBalancer {
    private final WeightedRandom sampler;
    private final IntUnaryOperator active;
    private final int choices;

    LeastRequest(HostSet hosts, IntUnaryOperator active, int choices) {
      this.sampler = new WeightedRandom(hosts);
      this.active = active;
      this.choices = choices;
    }

    @Override
    public int pick(@Nullable Long hash, RandomGenerator random) {
      int best = sampler.pick(null, random);
      if (sampler.indexes.length == 1) {
        return best;
      }
      // Samples are drawn by weight, so comparing raw active counts keeps the weighted share
      // when the hosts are idle and still steers away from busy hosts.
      int bestLoad = active.applyAsInt(best);
      for (int c = 1; c < choices; c++) {
        int other = sampler.pick(null, random);
        int load = active.applyAsInt(other);
        if (load < bestLoad) {
          best = other;
          bestLoad = load;
        }
      }
      return best;
    }
  }
}
