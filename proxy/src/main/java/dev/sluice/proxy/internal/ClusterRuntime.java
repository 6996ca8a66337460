package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.cluster.Endpoint;
import dev.sluice.proxy.core.lb.LoadBalancer;
import dev.sluice.proxy.core.lb.LoadBalancers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster ready for traffic: its record, hosts, balancer and statistics. Immutable apart from
 * counters; a config change builds a new instance reusing unchanged hosts.
 */
final class ClusterRuntime {
  final Cluster cluster;
  final List<HostRuntime> hosts;
  final LoadBalancer balancer;
  final Stats.ClusterStats stats;

  private ClusterRuntime(Cluster cluster, List<HostRuntime> hosts, Stats.ClusterStats stats) {
    this.cluster = cluster;
    this.hosts = List.copyOf(hosts);
    this.stats = stats;
    List<Endpoint> eps = new ArrayList<>(hosts.size());
    for (HostRuntime h : hosts) {
      eps.add(h.endpoint);
    }
    HostRuntime[] arr = this.hosts.toArray(new HostRuntime[0]);
    this.balancer = LoadBalancers.create(cluster, eps, i -> arr[i].activeRequests.get());
    long healthy = eps.stream().filter(e -> e.health().isHealthy()).count();
    stats.membershipHealthy.set(healthy);
    stats.membershipTotal.set(eps.size());
  }

  /**
   * Builds the runtime of {@code cluster} with {@code endpoints}, reusing hosts of {@code
   * previous} (may be null) that have the same address.
   */
  static ClusterRuntime build(
      Cluster cluster, List<Endpoint> endpoints, @org.jspecify.annotations.Nullable ClusterRuntime previous, Stats stats) {
    Map<String, HostRuntime> old = new HashMap<>();
    if (previous != null) {
      for (HostRuntime h : previous.hosts) {
        old.put(h.hostPort, h);
      }
    }
    List<HostRuntime> hosts = new ArrayList<>(endpoints.size());
    for (Endpoint e : endpoints) {
      HostRuntime h = old.remove(e.hostPort());
      if (h == null) {
        h = new HostRuntime(e);
      } else {
        h.endpoint = e;
      }
      hosts.add(h);
    }
    Stats.ClusterStats cs = previous != null ? previous.stats : new Stats.ClusterStats(stats, cluster.name());
    return new ClusterRuntime(cluster, hosts, cs);
  }

  String name() {
    return cluster.name();
  }
}
