package dev.sluice.translate;

import com.google.protobuf.BoolValue;
import dev.sluice.config.Resource;
import dev.sluice.config.istio.DestinationRule;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.ServicePort;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a sidecar's RDS: one route configuration per HTTP port ({@code 9080}) with a virtual
 * host per service on that port ({@code reviews.default.svc.cluster.local:9080} and its short
 * names), whose routes come from the VirtualService for the host or, without one, a default route
 * to all endpoints; plus istiod's {@code allow_any} host for unknown destinations. With explicit
 * capture, one {@code http_proxy} configuration holds every service port, by {@code host:port}.
 */
final class RouteTranslator {
  private RouteTranslator() {}

  /** The route configurations of a sidecar or proxyless client, sorted by name. */
  static List<RouteConfiguration> buildRoutes(ProxyView view) {
    ProxyNode node = view.node;
    List<RouteConfiguration> out = new ArrayList<>();
    if (node.explicitCapture()) {
      List<VirtualHost> vhosts = new ArrayList<>();
      Set<String> used = new HashSet<>();
      for (MeshService s : view.services) {
        for (ServicePort p : s.ports()) {
          if (p.protocol().isHttp()) {
            vhosts.add(virtualHost(view, s, p.port(), true, used));
          }
        }
      }
      vhosts.sort(java.util.Comparator.comparing(VirtualHost::getName));
      out.add(RouteConfiguration.newBuilder().setName(Names.HTTP_PROXY_ROUTE).setValidateClusters(BoolValue.of(false))
          .addAllVirtualHosts(vhosts).build());
      return out;
    }
    Map<Integer, List<MeshService>> byPort = new TreeMap<>();
    for (MeshService s : view.services) {
      for (ServicePort p : s.ports()) {
        if (p.protocol().isHttp()) {
          byPort.computeIfAbsent(p.port(), k -> new ArrayList<>()).add(s);
        }
      }
    }
    for (var e : byPort.entrySet()) {
      int port = e.getKey();
      Set<String> used = new HashSet<>();
      List<VirtualHost> vhosts = new ArrayList<>();
      for (MeshService s : e.getValue()) {
        vhosts.add(virtualHost(view, s, port, false, used));
      }
      vhosts.sort(java.util.Comparator.comparing(VirtualHost::getName));
      if (!node.isGrpc()) {
        vhosts.add(VirtualHost.newBuilder().setName("allow_any").addDomains("*")
            .setIncludeRequestAttemptCount(true)
            .addRoutes(Route.newBuilder().setName("allow_any").setMatch(RouteParts.match(null))
                .setRoute(RouteAction.newBuilder().setCluster(Names.PASSTHROUGH).setTimeout(Durations.ZERO)
                    .setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder()
                        .setMaxStreamDuration(Durations.ZERO).setGrpcTimeoutHeaderMax(Durations.ZERO))))
            .build());
      }
      out.add(RouteConfiguration.newBuilder().setName(Integer.toString(port)).setValidateClusters(BoolValue.of(false))
          .addAllVirtualHosts(vhosts).build());
    }
    return out;
  }

  private static VirtualHost virtualHost(ProxyView view, MeshService s, int port, boolean portOnly, Set<String> used) {
    SharedTranslations shared = view.shared;
    if (shared != null) {
      // Taken over from the last push when unchanged; used as is unless an earlier host took one of
      // its domains (then it is built here, without that domain).
      VirtualHost cached = shared.virtualHost(view.key(), s, port, portOnly, view.meshVirtualService(s.hostname()),
          () -> build(view, s, port, portOnly, new HashSet<>()));
      if (cached.getDomainsList().stream().noneMatch(used::contains)) {
        used.addAll(cached.getDomainsList());
        return cached;
      }
    }
    return build(view, s, port, portOnly, used);
  }

  private static VirtualHost build(ProxyView view, MeshService s, int port, boolean portOnly, Set<String> used) {
    VirtualHost.Builder vh = VirtualHost.newBuilder().setName(Names.hostPort(s.hostname(), port))
        .setIncludeRequestAttemptCount(true);
    for (String d : Hosts.domains(s, port, view.node.namespace(), view.mesh.domainSuffix(), portOnly)) {
      if (used.add(d)) {
        vh.addDomains(d);
      }
    }
    Resource vs = view.meshVirtualService(s.hostname());
    List<Route> routes = vs == null ? List.of()
        : HttpRouteTranslator.buildRoutes(view, vs, new HttpRouteTranslator.Context(port, Set.of("mesh")));
    if (routes.isEmpty()) {
      routes = List.of(defaultRoute(view, s, port));
    }
    return vh.addAllRoutes(routes).build();
  }

  /** istiod's {@code default} route: every endpoint of the service, Istio's default retries, no timeout. */
  static Route defaultRoute(ProxyView view, MeshService s, int port) {
    Resource drRes = view.destinationRule(s.hostname(), s.namespace());
    DestinationRule dr = drRes == null ? null : (DestinationRule) drRes.spec();
    TrafficPolicies.Policy policy = TrafficPolicies.effective(dr, null, port);
    boolean hashing = policy.loadBalancer() != null && policy.loadBalancer().consistentHash() != null;
    RouteAction.Builder a = RouteAction.newBuilder().setCluster(Names.outbound(port, "", s.hostname()))
        .setTimeout(Durations.ZERO)
        .setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder()
            .setMaxStreamDuration(Durations.ZERO).setGrpcTimeoutHeaderMax(Durations.ZERO));
    var retry = RouteParts.retry(null, hashing);
    if (retry != null) {
      a.setRetryPolicy(retry);
    }
    if (hashing) {
      a.addHashPolicy(HashPolicies.build(policy.loadBalancer().consistentHash()));
    }
    return Route.newBuilder().setName("default").setMatch(RouteParts.match(null)).setRoute(a).build();
  }
}
