package dev.sluice.translate;

import com.google.protobuf.BoolValue;
import dev.sluice.config.Resource;
import dev.sluice.config.istio.Gateway;
import dev.sluice.config.istio.VirtualService;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.Protocol;
import dev.sluice.registry.ServicePort;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a gateway's (router's) LDS and RDS from the {@code Gateway} resources whose selector
 * matches it. A server's port is mapped to the gateway Service's target port, as istiod does (the
 * Bookinfo gateway's server 8080 and helloworld's server 80 both land on {@code 0.0.0.0_8080}
 * behind the ingress Service's 80 → 8080). Plain HTTP servers on one port share the route
 * configuration {@code http.<port>}; HTTPS servers get {@code https.<port>.<name>.<gateway>.<ns>}.
 * VirtualServices bound to a gateway contribute a virtual host per host they share with a server,
 * merged by host.
 */
final class GatewayTranslator {
  private GatewayTranslator() {}

  /** One server of a matching gateway, with its listener port and route name. */
  record BoundServer(Resource gateway, Gateway.Server server, int targetPort, String routeName) {
    String key() {
      return gateway.namespace() + "/" + gateway.name();
    }

    boolean http() {
      Protocol p = Protocol.parse(server.port() == null ? "" : server.port().protocolOrEmpty());
      return p.isHttp() && p != Protocol.UNSUPPORTED || p == Protocol.HTTPS && server.tls() != null
          && !server.tls().modeOrDefault().equals("PASSTHROUGH") && !server.tls().modeOrDefault().equals("AUTO_PASSTHROUGH");
    }
  }

  static List<BoundServer> servers(ProxyView view) {
    List<BoundServer> out = new ArrayList<>();
    for (Resource r : view.mesh.gateways()) {
      Gateway gw = (Gateway) r.spec();
      if (gw.selector().isEmpty() || !Labels.matches(gw.selector(), view.node.labels())) {
        continue;
      }
      for (Gateway.Server s : gw.servers()) {
        if (s.port() == null || s.port().num() == 0) {
          continue;
        }
        int target = targetPort(view, s.port().num());
        Protocol p = Protocol.parse(s.port().protocolOrEmpty());
        String route = p == Protocol.HTTPS
            ? "https." + s.port().num() + "." + s.port().nameOrEmpty() + "." + r.name() + "." + r.namespace()
            : "http." + target;
        out.add(new BoundServer(r, s, target, route));
      }
    }
    return out;
  }

  /** The gateway Service's target port for a server port (the server port when none maps it). */
  private static int targetPort(ProxyView view, int serverPort) {
    for (MeshService s : view.mesh.services().values()) {
      var sel = s.selector();
      if (sel == null || sel.isEmpty() || !s.namespace().equals(view.node.namespace())
          || !Labels.matches(sel, view.node.labels())) {
        continue;
      }
      ServicePort p = s.port(serverPort);
      if (p != null && p.targetPort() > 0) {
        return p.targetPort();
      }
    }
    return serverPort;
  }

  static List<Listener> buildListeners(ProxyView view) {
    Map<Integer, List<BoundServer>> byPort = new TreeMap<>();
    for (BoundServer b : servers(view)) {
      byPort.computeIfAbsent(b.targetPort(), k -> new ArrayList<>()).add(b);
    }
    List<Listener> out = new ArrayList<>();
    for (var e : byPort.entrySet()) {
      String name = Names.listener("0.0.0.0", e.getKey());
      ProxyNode node = view.node;
      Listener.Builder l = Listener.newBuilder().setName(name)
          .setAddress(ListenerTranslator.address(node.listenAddress(), node.bindPort(e.getKey())))
          .setTrafficDirection(TrafficDirection.OUTBOUND);
      Set<String> routes = new LinkedHashSet<>();
      for (BoundServer b : e.getValue()) {
        if (b.http() && routes.add(b.routeName())) {
          FilterChain.Builder fc = FilterChain.newBuilder();
          if (b.routeName().startsWith("https.")) {
            fc.setFilterChainMatch(FilterChainMatch.newBuilder().addAllServerNames(sniHosts(b.server())));
          }
          fc.addFilters(Hcm.filter(Hcm.build("outbound_" + name, b.routeName(), null, true, false, false, node)));
          l.addFilterChains(fc);
        } else if (!b.http()) {
          l.addFilterChains(tcpChain(view, b));
        }
      }
      out.add(l.build());
    }
    return out;
  }

  private static List<String> sniHosts(Gateway.Server s) {
    List<String> out = new ArrayList<>();
    for (String h : s.hosts()) {
      String host = h.contains("/") ? h.substring(h.indexOf('/') + 1) : h;
      if (!host.equals("*")) {
        out.add(host);
      }
    }
    return out;
  }

  /** TCP and TLS-passthrough servers: the first bound VirtualService TCP/TLS rule. */
  private static FilterChain tcpChain(ProxyView view, BoundServer b) {
    for (Resource r : view.virtualServices) {
      VirtualService vs = (VirtualService) r.spec();
      if (!bound(vs, r.namespace(), b)) {
        continue;
      }
      for (VirtualService.TlsRoute t : vs.tls()) {
        if (!t.route().isEmpty()) {
          List<String> sni = new ArrayList<>();
          t.match().forEach(m -> sni.addAll(m.sniHosts()));
          return FilterChain.newBuilder().setFilterChainMatch(FilterChainMatch.newBuilder().addAllServerNames(sni))
              .addAllFilters(Hcm.tcp("gateway_" + b.targetPort(),
                  ListenerTranslator.tcpDestinations(view, r.namespace(), t.route(), b.server().port().num())))
              .build();
        }
      }
      for (VirtualService.TcpRoute t : vs.tcp()) {
        if (!t.route().isEmpty()) {
          return FilterChain.newBuilder().addAllFilters(Hcm.tcp("gateway_" + b.targetPort(),
              ListenerTranslator.tcpDestinations(view, r.namespace(), t.route(), b.server().port().num()))).build();
        }
      }
    }
    return FilterChain.newBuilder().addAllFilters(Hcm.tcp(Names.BLACK_HOLE,
        io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.newBuilder().setCluster(Names.BLACK_HOLE)))
        .build();
  }

  private static boolean bound(VirtualService vs, String vsNs, BoundServer b) {
    for (String g : vs.gateways()) {
      if (HttpRouteTranslator.gatewayKey(g, vsNs).equals(b.key())) {
        return true;
      }
    }
    return false;
  }

  static List<RouteConfiguration> buildRoutes(ProxyView view) {
    Map<String, List<BoundServer>> byRoute = new TreeMap<>();
    for (BoundServer b : servers(view)) {
      if (b.http()) {
        byRoute.computeIfAbsent(b.routeName(), k -> new ArrayList<>()).add(b);
      }
    }
    List<RouteConfiguration> out = new ArrayList<>();
    for (var e : byRoute.entrySet()) {
      Map<String, VirtualHost.Builder> vhosts = new LinkedHashMap<>();
      for (BoundServer b : e.getValue()) {
        for (Resource r : view.virtualServices) {
          VirtualService vs = (VirtualService) r.spec();
          if (!bound(vs, r.namespace(), b)) {
            continue;
          }
          for (String vsHost : vs.hosts()) {
            String host = view.fqdn(vsHost, r.namespace());
            String match = serverHostFor(b, host, r.namespace());
            if (match == null) {
              continue;
            }
            String vhostHost = Hosts.matches(match, host) ? host : match;
            VirtualHost.Builder vh = vhosts.computeIfAbsent(vhostHost, h -> VirtualHost.newBuilder()
                .setName(Names.hostPort(h, b.server().port().num())).addAllDomains(domains(h))
                .setIncludeRequestAttemptCount(true));
            if (vh.getRoutesCount() > 0 && isCatchAll(vh.getRoutes(vh.getRoutesCount() - 1))) {
              continue;
            }
            vh.addAllRoutes(HttpRouteTranslator.buildRoutes(view, r,
                new HttpRouteTranslator.Context(b.server().port().num(), Set.of(b.key()))));
          }
        }
      }
      RouteConfiguration.Builder rc = RouteConfiguration.newBuilder().setName(e.getKey())
          .setValidateClusters(BoolValue.of(false));
      if (vhosts.isEmpty()) {
        int port = e.getValue().getFirst().server().port().num();
        rc.addVirtualHosts(VirtualHost.newBuilder().setName("blackhole:" + port).addDomains("*")
            .addRoutes(Route.newBuilder().setName("default").setMatch(RouteParts.match(null))
                .setDirectResponse(DirectResponseAction.newBuilder().setStatus(404))));
      }
      vhosts.values().stream().map(VirtualHost.Builder::build).sorted(java.util.Comparator.comparing(VirtualHost::getName))
          .forEach(rc::addVirtualHosts);
      out.add(rc.build());
    }
    return out;
  }

  private static boolean isCatchAll(Route r) {
    return r.getMatch().getPrefix().equals("/") && r.getMatch().getHeadersCount() == 0
        && r.getMatch().getQueryParametersCount() == 0;
  }

  /** The server host a VirtualService host falls under (with {@code ns/} honoured), or null. */
  private static @org.jspecify.annotations.Nullable String serverHostFor(BoundServer b, String host, String vsNs) {
    for (String h : b.server().hosts()) {
      String ns = "*";
      String name = h;
      int slash = h.indexOf('/');
      if (slash >= 0) {
        ns = h.substring(0, slash);
        name = h.substring(slash + 1);
      }
      if (ns.equals(".")) {
        ns = b.gateway().namespace();
      }
      if (!ns.equals("*") && !ns.equals(vsNs)) {
        continue;
      }
      if (Hosts.overlaps(name, host)) {
        return name;
      }
    }
    return null;
  }

  /** A gateway virtual host's domains: the host, and the host with any port. */
  private static List<String> domains(String host) {
    return host.equals("*") ? List.of("*") : List.of(host, host + ":*");
  }
}
