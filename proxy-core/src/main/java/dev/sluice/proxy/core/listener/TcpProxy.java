package dev.sluice.proxy.core.listener;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.core.route.ClusterSpecifier;
import dev.sluice.proxy.core.telemetry.StatsConfig;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Envoy's TCP proxy: each connection goes to one cluster (weighted clusters pick per connection).
 *
 * @param idleTimeout closes both sides after this long without bytes; zero disables it
 * @param stats Istio's TCP metrics (the {@code istio.stats} network filter before it), or null
 */
public record TcpProxy(String statPrefix, ClusterSpecifier cluster, Duration idleTimeout,
    @Nullable StatsConfig stats) implements NetworkFilter {
  public TcpProxy {
    requireNonNull(statPrefix, "statPrefix");
    requireNonNull(cluster, "cluster");
    requireNonNull(idleTimeout, "idleTimeout");
    if (cluster instanceof ClusterSpecifier.FromHeader) {
      throw new IllegalArgumentException("cluster_specifier: cluster_header (expected: cluster or weighted_clusters)");
    }
  }

  /** A TCP proxy without Istio metrics. */
  public TcpProxy(String statPrefix, ClusterSpecifier cluster, Duration idleTimeout) {
    this(statPrefix, cluster, idleTimeout, null);
  }
}
