package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.listener.Listener;
import dev.sluice.proxy.core.route.RouteTable;
import java.util.Map;

/**
 * Everything the request path reads, as one immutable value published with one volatile write
 * (STYLE §7): route tables by name, clusters by name, listeners by name.
 */
record ConfigSnapshot(
    Map<String, RouteTable> routes, Map<String, ClusterRuntime> clusters, Map<String, Listener> listeners) {

  static final ConfigSnapshot EMPTY = new ConfigSnapshot(Map.of(), Map.of(), Map.of());

  ConfigSnapshot {
    routes = Map.copyOf(routes);
    clusters = Map.copyOf(clusters);
    listeners = Map.copyOf(listeners);
  }
}
