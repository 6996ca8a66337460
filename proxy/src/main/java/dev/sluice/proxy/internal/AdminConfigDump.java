package dev.sluice.proxy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import java.time.Instant;

/**
 * {@code /config_dump}. A class of its own so that the admin server's other pages load no protobuf
 * class: a proxy started from a static bootstrap has none loaded until this page is asked for.
 */
final class AdminConfigDump {
  private AdminConfigDump() {}

  /** The xDS resources in effect as Envoy's {@code ConfigDump} JSON. Runs on the xDS thread. */
  static String render(ProxyServer px) {
    XdsState s = px.xds;
    ListenersConfigDump.Builder l = ListenersConfigDump.newBuilder().setVersionInfo(s.listeners.version);
    for (var e : s.staticListeners.keySet()) {
      l.addStaticListeners(ListenersConfigDump.StaticListener.newBuilder());
    }
    s.listeners.raw.forEach((name, any) -> l.addDynamicListeners(ListenersConfigDump.DynamicListener.newBuilder()
        .setName(name).setActiveState(ListenersConfigDump.DynamicListenerState.newBuilder()
            .setVersionInfo(s.listeners.version).setListener(any)
            .setLastUpdated(ts(s.listeners.updated.getOrDefault(name, s.listeners.lastUpdated))))));
    ClustersConfigDump.Builder c = ClustersConfigDump.newBuilder().setVersionInfo(s.clusters.version);
    s.activeClusters.values().forEach(d -> c.addDynamicActiveClusters(dynamicCluster(d)));
    s.warmingClusters.values().forEach(d -> c.addDynamicWarmingClusters(dynamicCluster(d)));
    for (var sc : px.bootstrap().getStaticResources().getClustersList()) {
      c.addStaticClusters(ClustersConfigDump.StaticCluster.newBuilder().setCluster(Any.pack(sc))
          .setLastUpdated(ts(px.startTime)));
    }
    l.clearStaticListeners();
    for (var sl : px.bootstrap().getStaticResources().getListenersList()) {
      l.addStaticListeners(ListenersConfigDump.StaticListener.newBuilder().setListener(Any.pack(sl))
          .setLastUpdated(ts(px.startTime)));
    }
    RoutesConfigDump.Builder r = RoutesConfigDump.newBuilder();
    s.routes.raw.forEach((name, any) -> r.addDynamicRouteConfigs(RoutesConfigDump.DynamicRouteConfig.newBuilder()
        .setVersionInfo(s.routes.version).setRouteConfig(any)
        .setLastUpdated(ts(s.routes.updated.getOrDefault(name, s.routes.lastUpdated)))));
    EndpointsConfigDump.Builder e = EndpointsConfigDump.newBuilder();
    s.endpoints.raw.forEach((name, any) -> e.addDynamicEndpointConfigs(EndpointsConfigDump.DynamicEndpointConfig.newBuilder()
        .setVersionInfo(s.endpoints.version).setEndpointConfig(any)
        .setLastUpdated(ts(s.endpoints.updated.getOrDefault(name, s.endpoints.lastUpdated)))));
    ConfigDump dump = ConfigDump.newBuilder()
        .addConfigs(Any.pack(io.envoyproxy.envoy.admin.v3.BootstrapConfigDump.newBuilder()
            .setBootstrap(px.bootstrap().toBuilder().setNode(px.node())).setLastUpdated(ts(px.startTime)).build()))
        .addConfigs(Any.pack(c.build()))
        .addConfigs(Any.pack(l.build()))
        .addConfigs(Any.pack(r.build()))
        .addConfigs(Any.pack(e.build()))
        .build();
    return print(dump);
  }

  private static ClustersConfigDump.DynamicCluster dynamicCluster(XdsState.DynamicCluster d) {
    return ClustersConfigDump.DynamicCluster.newBuilder().setVersionInfo(d.version()).setCluster(d.raw())
        .setLastUpdated(ts(d.lastUpdated())).build();
  }

  private static String print(Message m) {
    try {
      return JsonFormat.printer().usingTypeRegistry(Bootstrap.DumpTypes.REGISTRY).print(m) + "\n";
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      return "{\"error\": " + AdminServer.json(String.valueOf(ex.getMessage())) + "}\n";
    }
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
