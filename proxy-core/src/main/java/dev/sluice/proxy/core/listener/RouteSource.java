package dev.sluice.proxy.core.listener;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.core.route.RouteTable;

/** Where an HTTP connection manager gets its routes. */
public sealed interface RouteSource {

  /** From RDS, by route configuration name. */
  record Rds(String routeConfigName) implements RouteSource {
    public Rds {
      requireNonNull(routeConfigName, "routeConfigName");
      if (routeConfigName.isEmpty()) {
        throw new IllegalArgumentException("rds.route_config_name: \"\" (expected: a name)");
      }
    }
  }

  /** Inline in the listener. */
  record Inline(RouteTable table) implements RouteSource {
    public Inline {
      requireNonNull(table, "table");
    }
  }
}
