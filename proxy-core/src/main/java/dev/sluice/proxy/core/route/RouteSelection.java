package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

/** The result of routing a request: the virtual host and the first matching route in it. */
public record RouteSelection(RouteTable table, VirtualHost virtualHost, Route route) {
  public RouteSelection {
    requireNonNull(table, "table");
    requireNonNull(virtualHost, "virtualHost");
    requireNonNull(route, "route");
  }
}
