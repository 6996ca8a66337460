package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.cluster.Endpoint;
import dev.sluice.proxy.core.lb.LoadBalancer;
import dev.sluice.proxy.core.lb.LoadBalancers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.sluice.proxy.core.cluster.HealthStatus;
import dev.sluice.proxy.core.cluster.OutlierDetector;
import dev.sluice.proxy.core.cluster.OutlierMonitor;
import org.jspecify.annotations.Nullable;

/**
 * A cluster ready for traffic: its record, hosts, balancer and statistics. Immutable apart from
 * counters; a config change builds a new instance reusing unchanged hosts.
 */
final class ClusterRuntime {
  final Cluster cluster;
  final List<HostRuntime> hosts;
  /** Rebuilt (one volatile write, on the xDS thread) when outlier detection ejects or returns a host. */
  volatile LoadBalancer balancer;
  final Stats.ClusterStats stats;
  final @Nullable OutlierDetector outlier;
  final List<OutlierMonitor> monitors;
  private long ejectedCount;

  /** Swaps in a balancer that reflects the hosts' current ejections (xDS thread). */
  void rebalance() {
    balancer = buildBalancer();
    stats.odActive.set(ejectedCount);
  }

  private ClusterRuntime(Cluster cluster, List<HostRuntime> hosts, Stats.ClusterStats stats) {
    this.cluster = cluster;
    this.hosts = List.copyOf(hosts);
    this.stats = stats;
    this.outlier = cluster.outlierDetection() == null ? null
        : new OutlierDetector(cluster.outlierDetection(), new java.util.SplittableRandom());
    List<OutlierMonitor> ms = new ArrayList<>(hosts.size());
    for (HostRuntime h : hosts) {
      ms.add(h.outlier);
    }
    this.monitors = List.copyOf(ms);
    this.balancer = buildBalancer();
    stats.odActive.set(ejectedCount);
  }

  /**
   * The balancer over the hosts, ejected hosts counting as unhealthy (so the panic threshold
   * applies to them as in Envoy).
   */
  LoadBalancer buildBalancer() {
    List<Endpoint> eps = new ArrayList<>(hosts.size());
    long ejected = 0;
    for (HostRuntime h : hosts) {
      Endpoint e = h.endpoint;
      if (outlier != null && h.outlier.ejected()) {
        ejected++;
        e = new Endpoint(e.address(), e.port(), e.weight(), HealthStatus.UNHEALTHY, e.priority());
      }
      eps.add(e);
    }
    HostRuntime[] arr = this.hosts.toArray(new HostRuntime[0]);
    long healthy = eps.stream().filter(e -> e.health().isHealthy()).count();
    stats.membershipHealthy.set(healthy);
    stats.membershipTotal.set(eps.size());
    LoadBalancer lb = LoadBalancers.create(cluster, eps, i -> arr[i].activeRequests.get());
    ejectedCount = ejected;
    return lb;
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
