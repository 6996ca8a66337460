package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Which cluster a forwarding route sends to. */
public sealed interface ClusterSpecifier {

  /** One named cluster. */
  record Single(String name) implements ClusterSpecifier {
    public Single {
      requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("cluster: \"\" (expected: a cluster name)");
      }
    }
  }

  /** The cluster named by a request header (Envoy's {@code cluster_header}). */
  record FromHeader(String header) implements ClusterSpecifier {
    public FromHeader {
      requireNonNull(header, "header");
    }
  }

  /** A weighted split; each request picks one cluster with probability weight / total. */
  record Weighted(List<WeightedCluster> clusters, int totalWeight) implements ClusterSpecifier {
    public Weighted {
      clusters = List.copyOf(clusters);
      if (clusters.isEmpty()) {
        throw new IllegalArgumentException("weighted_clusters.clusters: [] (expected: at least one)");
      }
      long sum = 0;
      for (WeightedCluster c : clusters) {
        sum += c.weight();
      }
      if (sum <= 0 || sum > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "weighted_clusters: total weight " + sum + " (expected: > 0)");
      }
      if (totalWeight != sum) {
        throw new IllegalArgumentException(
            "weighted_clusters.total_weight: " + totalWeight + " (expected: " + sum + ")");
      }
    }

    /** Builds a split whose total is the sum of the weights. */
    public static Weighted of(List<WeightedCluster> clusters) {
      int sum = 0;
      for (WeightedCluster c : clusters) {
        sum += c.weight();
      }
      return new Weighted(clusters, sum);
    }

    /** The cluster for a random value in {@code [0, totalWeight)}. */
    public WeightedCluster pick(int random) {
      int acc = 0;
      for (int i = 0; i < clusters.size(); i++) {
        WeightedCluster c = clusters.get(i);
        acc += c.weight();
        if (random < acc) {
          return c;
        }
      }
      return clusters.getLast();
    }
  }
}
