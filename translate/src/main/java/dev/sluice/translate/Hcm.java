package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** HTTP connection managers and TCP proxies as istiod configures them. */
final class Hcm {
  private Hcm() {}

  static final String HCM_NAME = "envoy.filters.network.http_connection_manager";
  static final String TCP_NAME = "envoy.filters.network.tcp_proxy";

  // Constant filters are built once (STYLE §7: pre-marshal constant protos).
  private static final HttpFilter CORS = HttpFilter.newBuilder().setName(RouteParts.CORS)
      .setTypedConfig(Any.pack(Cors.getDefaultInstance())).build();
  private static final HttpFilter FAULT = HttpFilter.newBuilder().setName(RouteParts.FAULT)
      .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())).build();
  private static final HttpFilter ROUTER = HttpFilter.newBuilder().setName("envoy.filters.http.router")
      .setTypedConfig(Any.pack(Router.getDefaultInstance())).build();

  /**
   * An HCM reading RDS {@code routeName} (or carrying {@code inline}).
   *
   * @param gateway edge settings: the peer address is trusted as the client's
   * @param grpc a proxyless gRPC client, which knows the fault filter but not CORS (nor Istio's
   *     telemetry filters: istiod gives proxyless clients none)
   * @param inbound on an INBOUND listener: the metadata exchange reads the downstream peer
   * @param node the proxy (where its access log goes)
   */
  static HttpConnectionManager build(String statPrefix, @Nullable String routeName,
      @Nullable RouteConfiguration inline, boolean gateway, boolean grpc, boolean inbound, ProxyNode node) {
    MeshTelemetry telemetry = MeshTelemetry.inUse();
    HttpConnectionManager.Builder h = HttpConnectionManager.newBuilder().setStatPrefix(statPrefix);
    if (inline != null) {
      h.setRouteConfig(inline);
    } else {
      h.setRds(Rds.newBuilder().setRouteConfigName(routeName == null ? "" : routeName)
          .setConfigSource(ClusterTranslator.ADS));
    }
    if (!grpc) {
      h.addAllHttpFilters(Telemetry.leadingHttpFilters(telemetry, inbound));
      h.addHttpFilters(CORS);
    }
    h.addHttpFilters(FAULT);
    if (!grpc) {
      h.addAllHttpFilters(Telemetry.trailingHttpFilters(telemetry));
    }
    h.addHttpFilters(ROUTER);
    if (!grpc) {
      Telemetry.apply(telemetry, h, node);
      h.setServerName("istio-envoy");
      h.setUseRemoteAddress(BoolValue.of(gateway));
      h.setNormalizePath(BoolValue.of(true));
      h.addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"));
    }
    return h.build();
  }

  static Filter filter(HttpConnectionManager h) {
    return Filter.newBuilder().setName(HCM_NAME).setTypedConfig(Any.pack(h)).build();
  }

  /** A TCP proxy, behind Istio's network telemetry filters (metadata exchange and stats). */
  static List<Filter> tcp(String statPrefix, TcpProxy.Builder t) {
    List<Filter> out = new ArrayList<>(Telemetry.tcpFilters(MeshTelemetry.inUse()));
    out.add(Filter.newBuilder().setName(TCP_NAME).setTypedConfig(Any.pack(t.setStatPrefix(statPrefix).build())).build());
    return out;
  }
}
