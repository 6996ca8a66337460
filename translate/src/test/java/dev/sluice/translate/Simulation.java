package dev.sluice.translate;

import com.google.protobuf.Any;
import dev.sluice.proxy.core.listener.HttpConnectionManager;
import dev.sluice.proxy.core.listener.Listener;
import dev.sluice.proxy.core.listener.RouteSource;
import dev.sluice.proxy.core.route.ClusterSpecifier;
import dev.sluice.proxy.core.route.RequestView;
import dev.sluice.proxy.core.route.RouteAction;
import dev.sluice.proxy.core.route.RouteSelection;
import dev.sluice.proxy.core.route.RouteTable;
import dev.sluice.proxy.core.xds.ParseResult;
import dev.sluice.proxy.core.xds.ResourceError;
import dev.sluice.proxy.core.xds.XdsParsers;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Feeds translator output to sluice-proxy's own parsers and route matcher (istiod's simulation
 * tests): which cluster does a request reach?
 */
final class Simulation {
  final ParseResult<Listener> listeners;
  final ParseResult<RouteTable> routes;
  final ParseResult<dev.sluice.proxy.core.cluster.Cluster> clusters;
  final ParseResult<dev.sluice.proxy.core.cluster.ClusterLoadAssignment> endpoints;

  Simulation(ProxyResources r) {
    listeners = XdsParsers.listeners(r.listeners().stream().map(Any::pack).toList());
    routes = XdsParsers.routes(r.routes().stream().map(Any::pack).toList());
    clusters = XdsParsers.clusters(r.clusters().stream().map(Any::pack).toList());
    endpoints = XdsParsers.endpoints(r.endpoints().stream().map(Any::pack).toList());
  }

  /**
   * Parse errors, except the ones expected because sluice-proxy has no ORIGINAL_DST clusters
   * (istiod's PassthroughCluster, used only with iptables capture).
   */
  List<ResourceError> errors() {
    return java.util.stream.Stream.of(listeners.errors(), routes.errors(), clusters.errors(), endpoints.errors())
        .flatMap(List::stream)
        .filter(e -> !(e.name().equals("PassthroughCluster") || e.toString().contains("ORIGINAL_DST")))
        .toList();
  }

  record Request(String authority, String path, String method, Map<String, String> headers) implements RequestView {
    @Override
    public @Nullable String header(String lowerCaseName) {
      return headers.get(lowerCaseName.toLowerCase(Locale.ROOT));
    }
  }

  /** Routes a GET through listener {@code listenerName}: the cluster (or split, redirect, 404). */
  String route(String listenerName, String authority, String path, Map<String, String> headers) {
    Listener l = listeners.resources().get(listenerName);
    if (l == null) {
      return "no listener " + listenerName + " in " + listeners.resources().keySet();
    }
    if (!(l.filter() instanceof HttpConnectionManager hcm)) {
      return "not HTTP: " + l.filter();
    }
    RouteTable table = switch (hcm.routes()) {
      case RouteSource.Rds rds -> routes.resources().get(rds.routeConfigName());
      case RouteSource.Inline i -> i.table();
    };
    if (table == null) {
      return "no route configuration for " + hcm.routes();
    }
    RouteSelection sel = table.select(new Request(authority, path, "GET", headers));
    if (sel == null) {
      return "404";
    }
    return switch (sel.route().action()) {
      case RouteAction.Forward f -> switch (f.cluster()) {
        case ClusterSpecifier.Single s -> s.name();
        case ClusterSpecifier.Weighted w -> w.clusters().stream()
            .map(c -> c.name() + "=" + c.weight()).collect(Collectors.joining(", "));
        case ClusterSpecifier.FromHeader h -> "header " + h.header();
      };
      case RouteAction.Redirect r -> "redirect " + r.status();
      case RouteAction.DirectResponse d -> "direct " + d.status();
    };
  }
}
