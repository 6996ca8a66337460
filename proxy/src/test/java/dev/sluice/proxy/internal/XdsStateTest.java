package dev.sluice.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.sluice.proxy.core.xds.XdsParsers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * State-of-the-world semantics per type (xDS protocol, "Grouping Resources into Responses" and
 * "Deleting Resources"): LDS/CDS responses are the whole set; RDS/EDS responses carry only the
 * resources being sent, and their resources go away only when nothing references them.
 */
class XdsStateTest {
  final List<ConfigSnapshot> published = new ArrayList<>();
  final XdsState state = new XdsState(new Stats(), published::add);

  static Any edsCluster(String name) {
    return Any.pack(Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1)).build());
  }

  static Any cla(String name, int port) {
    return Any.pack(ClusterLoadAssignment.newBuilder().setClusterName(name)
        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(
            io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder().setAddress(address(port)))))
        .build());
  }

  static Address address(int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(port)).build();
  }

  static Any rdsListener(String name, int port, String routeName) {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setStatPrefix(name)
        .setRds(Rds.newBuilder().setRouteConfigName(routeName)).build();
    return Any.pack(Listener.newBuilder().setName(name).setAddress(address(port))
        .addFilterChains(FilterChain.newBuilder().addFilters(
            Filter.newBuilder().setName("envoy.filters.network.http_connection_manager").setTypedConfig(Any.pack(hcm))))
        .build());
  }

  static Any route(String name, String domain) {
    return Any.pack(RouteConfiguration.newBuilder().setName(name)
        .addVirtualHosts(VirtualHost.newBuilder().setName(domain).addDomains(domain)).build());
  }

  @Test
  void edsResponsesCarryOnlyTheResourcesSentAndTheOthersAreKept() {
    assertThat(state.apply(XdsParsers.CLUSTER, "c1", List.of(edsCluster("a"), edsCluster("b"))).ok()).isTrue();
    assertThat(state.edsNames()).containsExactly("a", "b");

    assertThat(state.apply(XdsParsers.ENDPOINT, "e1", List.of(cla("a", 1001))).ok()).isTrue();
    assertThat(state.apply(XdsParsers.ENDPOINT, "e2", List.of(cla("b", 1002))).ok()).isTrue();
    assertThat(state.current().clusters().get("a").hosts).extracting(h -> h.hostPort).containsExactly("127.0.0.1:1001");
    assertThat(state.current().clusters().get("b").hosts).extracting(h -> h.hostPort).containsExactly("127.0.0.1:1002");

    // An update of a alone leaves b alone; an empty response is a no-op.
    state.apply(XdsParsers.ENDPOINT, "e3", List.of(cla("a", 2001)));
    state.apply(XdsParsers.ENDPOINT, "e4", List.of());
    assertThat(state.current().clusters().get("a").hosts).extracting(h -> h.hostPort).containsExactly("127.0.0.1:2001");
    assertThat(state.current().clusters().get("b").hosts).extracting(h -> h.hostPort).containsExactly("127.0.0.1:1002");
    assertThat(state.endpoints.version).isEqualTo("e4");

    // A resource that was not subscribed to is ignored.
    state.apply(XdsParsers.ENDPOINT, "e5", List.of(cla("stranger", 3001)));
    assertThat(state.endpoints.parsed).containsOnlyKeys("a", "b");

    // CDS is the whole set: b is gone, and so is its ClusterLoadAssignment.
    state.apply(XdsParsers.CLUSTER, "c2", List.of(edsCluster("a")));
    assertThat(state.current().clusters()).containsOnlyKeys("a");
    assertThat(state.endpoints.parsed).containsOnlyKeys("a");
    assertThat(state.endpoints.raw).containsOnlyKeys("a");
    assertThat(state.edsNames()).containsExactly("a");

    // b comes back: it has no endpoints until EDS sends them again (nothing stale is revived).
    state.apply(XdsParsers.CLUSTER, "c3", List.of(edsCluster("a"), edsCluster("b")));
    assertThat(state.current().clusters().get("b").hosts).isEmpty();
  }

  @Test
  void rdsResponsesMergeAndUnreferencedRoutesAreDropped() {
    state.apply(XdsParsers.LISTENER, "l1", List.of(rdsListener("l80", 0, "80"), rdsListener("l90", 0, "90")));
    assertThat(state.rdsNames()).containsExactly("80", "90");
    state.apply(XdsParsers.ROUTE, "r1", List.of(route("80", "a.local")));
    state.apply(XdsParsers.ROUTE, "r2", List.of(route("90", "b.local")));
    assertThat(state.current().routes()).containsOnlyKeys("80", "90");

    // A bad 80 is NACKed and keeps its last good version; 90 is untouched.
    var bad = Any.pack(RouteConfiguration.newBuilder().setName("80")
        .addVirtualHosts(VirtualHost.newBuilder().setName("empty")).build());
    var r = state.apply(XdsParsers.ROUTE, "r3", List.of(bad));
    assertThat(r.ok()).isFalse();
    assertThat(r.errorDetail()).startsWith("RouteConfiguration 80: virtual_hosts[empty].domains");
    assertThat(state.routes.version).isEqualTo("r2");
    assertThat(state.current().routes()).containsOnlyKeys("80", "90");

    // Listener l90 removed: route 90 is no longer referenced and goes.
    state.apply(XdsParsers.LISTENER, "l2", List.of(rdsListener("l80", 0, "80")));
    assertThat(state.current().routes()).containsOnlyKeys("80");
    assertThat(state.rdsNames()).containsExactly("80");
  }
}
