package dev.sluice.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.sluice.translate.XdsTypes;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The resources last sent to a proxy, as Envoy's admin {@code /config_dump} shapes them. */
final class ConfigDumps {
  private ConfigDumps() {}

  /** The resource name inside an {@code Any} (cluster_name for assignments). */
  static String name(Any a) {
    try {
      return switch (a.getTypeUrl()) {
        case TypeUrls.LISTENER -> a.unpack(Listener.class).getName();
        case TypeUrls.CLUSTER -> a.unpack(Cluster.class).getName();
        case TypeUrls.ROUTE -> a.unpack(RouteConfiguration.class).getName();
        case TypeUrls.ENDPOINT -> a.unpack(ClusterLoadAssignment.class).getClusterName();
        default -> "";
      };
    } catch (InvalidProtocolBufferException e) {
      return "";
    }
  }

  static String json(Connection c) {
    ConfigDump.Builder dump = ConfigDump.newBuilder();
    Connection.TypeState l = c.types.get(TypeUrls.LISTENER);
    ListenersConfigDump.Builder ld = ListenersConfigDump.newBuilder();
    for (Any a : sent(l)) {
      ld.addDynamicListeners(ListenersConfigDump.DynamicListener.newBuilder().setName(name(a))
          .setActiveState(ListenersConfigDump.DynamicListenerState.newBuilder().setVersionInfo(l.sentVersion)
              .setListener(a).setLastUpdated(ts(l.sentAt))));
    }
    Connection.TypeState cl = c.types.get(TypeUrls.CLUSTER);
    ClustersConfigDump.Builder cd = ClustersConfigDump.newBuilder();
    for (Any a : sent(cl)) {
      cd.addDynamicActiveClusters(ClustersConfigDump.DynamicCluster.newBuilder().setVersionInfo(cl.sentVersion)
          .setCluster(a).setLastUpdated(ts(cl.sentAt)));
    }
    Connection.TypeState r = c.types.get(TypeUrls.ROUTE);
    RoutesConfigDump.Builder rd = RoutesConfigDump.newBuilder();
    for (Any a : sent(r)) {
      rd.addDynamicRouteConfigs(RoutesConfigDump.DynamicRouteConfig.newBuilder().setVersionInfo(r.sentVersion)
          .setRouteConfig(a).setLastUpdated(ts(r.sentAt)));
    }
    Connection.TypeState e = c.types.get(TypeUrls.ENDPOINT);
    EndpointsConfigDump.Builder ed = EndpointsConfigDump.newBuilder();
    for (Any a : sent(e)) {
      ed.addDynamicEndpointConfigs(EndpointsConfigDump.DynamicEndpointConfig.newBuilder().setVersionInfo(e.sentVersion)
          .setEndpointConfig(a).setLastUpdated(ts(e.sentAt)));
    }
    dump.addConfigs(Any.pack(ld.build())).addConfigs(Any.pack(cd.build())).addConfigs(Any.pack(rd.build()))
        .addConfigs(Any.pack(ed.build()));
    return XdsTypes.toJson(dump);
  }

  private static List<Any> sent(Connection.@Nullable TypeState t) {
    return t == null ? List.of() : t.sent;
  }

  private static Timestamp ts(@Nullable Instant i) {
    return i == null ? Timestamp.getDefaultInstance()
        : Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
