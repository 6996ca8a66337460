package dev.sluice.proxy.core.lb;

import dev.sluice.proxy.core.cluster.Endpoint;
import dev.sluice.proxy.core.cluster.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The endpoints a balancer chooses from, selected as Envoy does: the highest priority level with
 * a healthy host; within it the healthy hosts, or all hosts of the level when the healthy share
 * is below the panic threshold; degraded hosts only when no healthy host exists.
 *
 * @param indexes indexes into the cluster's endpoint list
 * @param weights the matching weights
 */
record HostSet(int[] indexes, int[] weights) {

  static HostSet select(List<Endpoint> endpoints, double panicThresholdPercent) {
    TreeMap<Integer, List<Integer>> byPriority = new TreeMap<>();
    for (int i = 0; i < endpoints.size(); i++) {
      byPriority.computeIfAbsent(endpoints.get(i).priority(), p -> new ArrayList<>()).add(i);
    }
    List<Integer> chosen = List.of();
    for (List<Integer> level : byPriority.values()) {
      List<Integer> healthy = new ArrayList<>();
      for (int i : level) {
        if (endpoints.get(i).health().isHealthy()) {
          healthy.add(i);
        }
      }
      if (!healthy.isEmpty()) {
        if (healthy.size() * 100.0 / level.size() < panicThresholdPercent) {
          chosen = level; // panic: use every host of the level
        } else {
          chosen = healthy;
        }
        break;
      }
    }
    if (chosen.isEmpty()) {
      List<Integer> degraded = new ArrayList<>();
      for (int i = 0; i < endpoints.size(); i++) {
        if (endpoints.get(i).health() == HealthStatus.DEGRADED) {
          degraded.add(i);
        }
      }
      chosen = degraded;
      if (chosen.isEmpty() && panicThresholdPercent > 0 && !endpoints.isEmpty()) {
        // Every host unhealthy: Envoy's panic mode balances over all of them.
        List<Integer> all = new ArrayList<>(byPriority.firstEntry().getValue());
        chosen = all;
      }
    }
    int[] idx = new int[chosen.size()];
    int[] w = new int[chosen.size()];
    for (int k = 0; k < idx.length; k++) {
      idx[k] = chosen.get(k);
      w[k] = endpoints.get(idx[k]).weight();
    }
    return new HostSet(idx, w);
  }

  int size() {
    return indexes.length;
  }

  boolean equalWeights() {
    for (int w : weights) {
      if (w != weights[0]) {
        return false;
      }
    }
    return true;
  }
}
