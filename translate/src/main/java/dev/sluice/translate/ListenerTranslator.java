package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import dev.sluice.config.Resource;
import dev.sluice.config.istio.VirtualService;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.ServicePort;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a sidecar's LDS. With iptables capture (the default): {@code 0.0.0.0_<port>} per HTTP
 * port (RDS by port, {@code bind_to_port: false}), {@code <vip|0.0.0.0>_<port>} TCP proxies, and
 * {@code virtualOutbound} (15001) and {@code virtualInbound} (15006). With explicit capture (the
 * local platform's {@code http_proxy}): one {@code 127.0.0.1_<port>} listener reading the {@code
 * http_proxy} routes. Proxyless gRPC clients get API listeners named {@code host:port}.
 */
final class ListenerTranslator {
  private ListenerTranslator() {}

  static List<Listener> buildListeners(ProxyView view) {
    List<Listener> out = new ArrayList<>(buildShared(view));
    out.addAll(buildInbound(view));
    return sorted(out);
  }

  /**
   * {@code virtualInbound} with iptables capture; with explicit capture, a {@code 127.0.0.1_<port>}
   * listener per port the platform publishes for the workload (see {@link #explicitInbound}).
   */
  static List<Listener> buildInbound(ProxyView view) {
    if (view.node.isGrpc() || view.node.type() != ProxyNode.Type.SIDECAR) {
      return List.of();
    }
    return view.node.explicitCapture() ? explicitInbound(view) : List.of(virtualInbound(view));
  }

  /**
   * The local platform's inbound side: where the registry publishes a workload port at another port
   * ({@code WorkloadInstance.publishedPorts}), the sidecar listens there and forwards to {@code
   * inbound|<workload port>||} (the app), so that other workloads reach the app only through it.
   * Without a published mapping the endpoint is the app itself and no inbound listener is built.
   */
  private static List<Listener> explicitInbound(ProxyView view) {
    Map<Integer, InboundPorts.InboundPort> byPublished = new TreeMap<>();
    for (InboundPorts.InboundPort ip : InboundPorts.of(view)) {
      if (ip.publishedPort() != ip.targetPort()) {
        byPublished.putIfAbsent(ip.publishedPort(), ip);
      }
    }
    List<Listener> out = new ArrayList<>();
    for (var e : byPublished.entrySet()) {
      int target = e.getValue().targetPort();
      String name = Names.listener("127.0.0.1", e.getKey());
      out.add(Listener.newBuilder().setName(name).setAddress(address("127.0.0.1", e.getKey()))
          .setTrafficDirection(TrafficDirection.INBOUND)
          .addFilterChains(inboundChain(view, target, e.getValue().port().protocol().isHttp())).build());
    }
    return out;
  }

  /** A filter chain to {@code inbound|port||}: HTTP with istiod's inbound route, or a TCP proxy. */
  private static FilterChain.Builder inboundChain(ProxyView view, int port, boolean http) {
    String cluster = Names.inbound(port);
    FilterChain.Builder fc = FilterChain.newBuilder().setName(cluster);
    if (http) {
      RouteConfiguration rc = RouteConfiguration.newBuilder().setName(cluster)
          .setValidateClusters(BoolValue.of(false))
          .addVirtualHosts(VirtualHost.newBuilder().setName("inbound|http|" + port).addDomains("*")
              .addRoutes(Route.newBuilder().setName("default").setMatch(RouteParts.match(null))
                  .setRoute(RouteAction.newBuilder().setCluster(cluster).setTimeout(Durations.ZERO)
                      .setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder()
                          .setMaxStreamDuration(Durations.ZERO).setGrpcTimeoutHeaderMax(Durations.ZERO)))))
          .build();
      fc.addFilters(Hcm.filter(Hcm.build("inbound_0.0.0.0_" + port, null, rc, false, false, true, view.node)));
    } else {
      fc.addAllFilters(Hcm.tcp(cluster, TcpProxy.newBuilder().setCluster(cluster)));
    }
    return fc;
  }

  /** The listeners that depend only on the proxy's view (all but {@code virtualInbound}). */
  static List<Listener> buildShared(ProxyView view) {
    ProxyNode node = view.node;
    List<Listener> out = new ArrayList<>();
    if (node.isGrpc()) {
      for (MeshService s : view.services) {
        for (ServicePort p : s.ports()) {
          if (p.protocol().isHttp()) {
            String name = Names.hostPort(s.hostname(), p.port());
            out.add(Listener.newBuilder().setName(name).setApiListener(ApiListener.newBuilder()
                .setApiListener(Any.pack(Hcm.build(name, Integer.toString(p.port()), null, false, true, false, node)))).build());
          }
        }
      }
      return sorted(out);
    }
    if (node.explicitCapture()) {
      int port = Math.max(0, node.httpProxyPort());
      String name = Names.listener("127.0.0.1", port);
      out.add(Listener.newBuilder().setName(name).setAddress(address("127.0.0.1", port))
          .setTrafficDirection(TrafficDirection.OUTBOUND)
          .addFilterChains(FilterChain.newBuilder().addFilters(Hcm.filter(
              Hcm.build("outbound_" + name, Names.HTTP_PROXY_ROUTE, null, false, false, false, node))))
          .build());
      return out;
    }
    Map<Integer, Boolean> httpPorts = new TreeMap<>();
    Map<String, Listener> tcp = new LinkedHashMap<>();
    for (MeshService s : view.services) {
      for (ServicePort p : s.ports()) {
        if (p.protocol().isHttp()) {
          httpPorts.put(p.port(), true);
        }
      }
    }
    for (MeshService s : view.services) {
      for (ServicePort p : s.ports()) {
        if (!p.protocol().isHttp() && p.protocol() != dev.sluice.registry.Protocol.UDP) {
          String ip = s.address().isEmpty() ? "0.0.0.0" : s.address();
          String name = Names.listener(ip, p.port());
          if (tcp.containsKey(name) || ip.equals("0.0.0.0") && httpPorts.containsKey(p.port())) {
            continue; // istiod would merge filter chains here; the first service keeps the port
          }
          tcp.put(name, Listener.newBuilder().setName(name).setAddress(address(ip, p.port()))
              .setTrafficDirection(TrafficDirection.OUTBOUND).setBindToPort(BoolValue.of(false))
              .addFilterChains(FilterChain.newBuilder().addAllFilters(
                  Hcm.tcp("outbound|" + p.port() + "||" + s.hostname(), tcpRoute(view, s, p))))
              .build());
        }
      }
    }
    for (int port : httpPorts.keySet()) {
      String name = Names.listener("0.0.0.0", port);
      out.add(Listener.newBuilder().setName(name).setAddress(address("0.0.0.0", port))
          .setTrafficDirection(TrafficDirection.OUTBOUND).setBindToPort(BoolValue.of(false))
          .addFilterChains(FilterChain.newBuilder().addFilters(Hcm.filter(
              Hcm.build("outbound_" + name, Integer.toString(port), null, false, false, false, node))))
          .build());
    }
    out.addAll(tcp.values());
    out.add(Listener.newBuilder().setName(Names.VIRTUAL_OUTBOUND).setAddress(address("0.0.0.0", 15001))
        .setTrafficDirection(TrafficDirection.OUTBOUND).setUseOriginalDst(BoolValue.of(true))
        .addFilterChains(FilterChain.newBuilder().setName("virtualOutbound-catchall-tcp")
            .addAllFilters(Hcm.tcp(Names.PASSTHROUGH, TcpProxy.newBuilder().setCluster(Names.PASSTHROUGH))))
        .build());
    return sorted(out);
  }

  /** The TCP proxy of a TCP service port: the first applicable VirtualService TCP rule, or the service. */
  private static TcpProxy.Builder tcpRoute(ProxyView view, MeshService s, ServicePort p) {
    Resource vsRes = view.meshVirtualService(s.hostname());
    if (vsRes != null) {
      VirtualService vs = (VirtualService) vsRes.spec();
      for (VirtualService.TcpRoute rule : vs.tcp()) {
        boolean applies = rule.match().isEmpty();
        for (VirtualService.L4MatchAttributes m : rule.match()) {
          if ((m.portOrZero() == 0 || m.portOrZero() == p.port())
              && Labels.matches(m.sourceLabels(), view.node.labels())
              && (m.sourceNamespace() == null || m.sourceNamespace().equals(view.node.namespace()))) {
            applies = true;
          }
        }
        if (applies && !rule.route().isEmpty()) {
          return tcpDestinations(view, vsRes.namespace(), rule.route(), p.port());
        }
      }
    }
    return TcpProxy.newBuilder().setCluster(Names.outbound(p.port(), "", s.hostname()));
  }

  static TcpProxy.Builder tcpDestinations(ProxyView view, String ns, List<VirtualService.RouteDestination> route,
      int port) {
    var dests = route.stream().filter(d -> d.destination() != null).toList();
    if (dests.size() == 1) {
      return TcpProxy.newBuilder().setCluster(HttpRouteTranslator.cluster(view, dests.getFirst().destination(), ns, port));
    }
    TcpProxy.WeightedCluster.Builder w = TcpProxy.WeightedCluster.newBuilder();
    for (var d : dests) {
      if (d.weightOrZero() > 0) {
        w.addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
            .setName(HttpRouteTranslator.cluster(view, d.destination(), ns, port)).setWeight(d.weightOrZero()));
      }
    }
    return TcpProxy.newBuilder().setWeightedClusters(w);
  }

  /** {@code virtualInbound}: a filter chain per served port, forwarding to {@code inbound|port||}. */
  private static Listener virtualInbound(ProxyView view) {
    Listener.Builder l = Listener.newBuilder().setName(Names.VIRTUAL_INBOUND).setAddress(address("0.0.0.0", 15006))
        .setTrafficDirection(TrafficDirection.INBOUND).setUseOriginalDst(BoolValue.of(true));
    Set<Integer> done = new java.util.HashSet<>();
    for (InboundPorts.InboundPort ip : InboundPorts.of(view)) {
      int port = ip.targetPort();
      if (!done.add(port)) {
        continue;
      }
      l.addFilterChains(inboundChain(view, port, ip.port().protocol().isHttp())
          .setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(port))));
    }
    if (l.getFilterChainsCount() == 0) {
      l.addFilterChains(FilterChain.newBuilder().setName("virtualInbound-blackhole")
          .addAllFilters(Hcm.tcp(Names.BLACK_HOLE, TcpProxy.newBuilder().setCluster(Names.BLACK_HOLE))));
    }
    return l.build();
  }

  /** Shared listeners of a sidecar, or a gateway's listeners. */
  static List<Listener> sortedOrGateway(ProxyView view) {
    return view.node.type() == ProxyNode.Type.ROUTER ? GatewayTranslator.buildListeners(view) : buildShared(view);
  }

  static Address address(String ip, int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port)).build();
  }

  static List<Listener> sorted(List<Listener> l) {
    List<Listener> out = new ArrayList<>(l);
    out.sort(java.util.Comparator.comparing(Listener::getName));
    return out;
  }
}
