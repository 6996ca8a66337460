package dev.sluice.proxy.core.listener;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.core.route.ClusterSpecifier;
import java.time.Duration;

/**
 * Envoy's TCP proxy: each connection goes to one cluster (weighted clusters pick per connection).
 *
 * @param idleTimeout closes both sides after this long without bytes; zero disables it
 */
public record TcpProxy(String statPrefix, ClusterSpecifier cluster, Duration idleTimeout)
    implements NetworkFilter {
  public TcpProxy {
    requireNonNull(statPrefix, "statPrefix");
    requireNonNull(cluster, "cluster");
    requireNonNull(idleTimeout, "idleTimeout");
    if (cluster instanceof ClusterSpecifier.FromHeader) {
      throw new IllegalArgumentException("cluster_specifier: cluster_header (expected: cluster or weighted_clusters)");
    }
  }
}
