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
  /**
   * ORIGINAL_DST only: the hosts created per destination {@code host:port} (Envoy's original_dst
   * host map), shared by the runtimes that replace this one so pools and counters survive config
   * swaps; idle ones are dropped by {@link #retireIdleOriginalDst}.
   */
  final java.util.concurrent.@Nullable ConcurrentHashMap<String, HostRuntime> originalDst;

  /** Swaps in a balancer that reflects the hosts' current ejections (xDS thread). */
  void rebalance() {
    balancer = buildBalancer();
    stats.odActive.set(ejectedCount);
  }

  private ClusterRuntime(Cluster cluster, List<HostRuntime> hosts, Stats.ClusterStats stats,
      java.util.concurrent.@Nullable ConcurrentHashMap<String, HostRuntime> originalDst) {
    this.cluster = cluster;
    this.originalDst = originalDst;
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
    java.util.concurrent.ConcurrentHashMap<String, HostRuntime> dst = null;
    if (cluster.type() == Cluster.DiscoveryType.ORIGINAL_DST) {
      dst = previous != null && previous.originalDst != null ? previous.originalDst
          : new java.util.concurrent.ConcurrentHashMap<>();
    }
    return new ClusterRuntime(cluster, hosts, cs, dst);
  }

  /**
   * ORIGINAL_DST: the host for a request's destination {@code authority} (its own {@code Host},
   * or the cluster's {@code use_http_header} header), created on first use; null when the
   * authority is not a valid {@code host[:port]}.
   */
  @Nullable HostRuntime originalDstHost(String authority) {
    var dst = originalDst;
    if (dst == null) {
      return null;
    }
    HostRuntime h = dst.get(authority);
    if (h == null) {
      if (dst.size() >= MAX_ORIGINAL_DST_HOSTS) {
        return null;
      }
      Endpoint e = Endpoint.fromAuthority(authority, 80);
      if (e == null) {
        return null;
      }
      h = dst.computeIfAbsent(authority, a -> new HostRuntime(e));
    }
    h.lastUsedNanos = System.nanoTime();
    return h;
  }

  /** At most this many original destinations at once (a bound on what clients can make us keep). */
  static final int MAX_ORIGINAL_DST_HOSTS = 4096;

  /**
   * Drops ORIGINAL_DST hosts unused for {@code idleNanos} with no request or connection (Envoy's
   * {@code cleanup_interval}, 5 s), returning them so the workers can drop their empty pools.
   */
  List<HostRuntime> retireIdleOriginalDst(long nowNanos, long idleNanos) {
    var dst = originalDst;
    if (dst == null || dst.isEmpty()) {
      return List.of();
    }
    List<HostRuntime> retired = new ArrayList<>();
    for (var it = dst.values().iterator(); it.hasNext(); ) {
      HostRuntime h = it.next();
      if (h.activeRequests.get() == 0 && h.activeConnections.get() == 0 && nowNanos - h.lastUsedNanos > idleNanos) {
        it.remove();
        retired.add(h);
      }
    }
    return retired;
  }

  String name() {
    return cluster.name();
  }
}
