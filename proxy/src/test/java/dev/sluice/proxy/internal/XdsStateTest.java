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
    return edsCluster(name, 1);
  }

  /** An EDS cluster; {@code connectSeconds} makes versions that differ. */
  static Any edsCluster(String name, int connectSeconds) {
    return Any.pack(Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(connectSeconds)).build());
  }

  static Any edsClusterWithFetchTimeout(String name, int seconds) {
    return Any.pack(Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(
            io.envoyproxy.envoy.config.core.v3.ConfigSource.newBuilder()
                .setAds(io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource.getDefaultInstance())
                .setInitialFetchTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(seconds))))
        .build());
  }

  static Any staticCluster(String name, int port) {
    return Any.pack(Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))
        .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(name)
            .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(
                io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder().setAddress(address(port)))))).build());
  }

  /** Timers that fire only when the test says so. */
  static final class ManualTimers implements XdsState.Timers {
    record Task(java.time.Duration delay, Runnable task, boolean[] cancelled) {}

    final List<Task> tasks = new ArrayList<>();

    @Override
    public Runnable schedule(java.time.Duration delay, Runnable task) {
      Task t = new Task(delay, task, new boolean[1]);
      tasks.add(t);
      return () -> t.cancelled()[0] = true;
    }

    void fire(int i) {
      if (!tasks.get(i).cancelled()[0]) {
        tasks.get(i).task().run();
      }
    }
  }

  final Stats warmStats = new Stats();
  final ManualTimers timers = new ManualTimers();
  final List<ConfigSnapshot> warmPublished = new ArrayList<>();
  final XdsState warm = new XdsState(warmStats, warmPublished::add, timers);

  long gauge(String name) {
    return warmStats.gauges().getOrDefault(name, -1L);
  }

  long counter(String name) {
    return warmStats.counters().getOrDefault(name, 0L);
  }

  @Test
  void aNewEdsClusterWarmsUntilItsFirstAssignmentAndOtherTypesAreActiveAtOnce() {
    assertThat(warm.clustersInitialized()).isFalse();
    warm.apply(XdsParsers.CLUSTER, "c1", List.of(edsCluster("a"), staticCluster("s", 1009)));
    assertThat(warm.current().clusters()).containsOnlyKeys("s");
    assertThat(warm.warmingClusters).containsOnlyKeys("a");
    assertThat(warm.edsNames()).containsExactly("a");
    assertThat(gauge("cluster_manager.warming_clusters")).isEqualTo(1);
    assertThat(gauge("cluster_manager.active_clusters")).isEqualTo(1);
    assertThat(counter("cluster_manager.cluster_added")).isEqualTo(2);
    assertThat(warm.clustersInitialized()).isFalse();
    // Envoy's default initial_fetch_timeout bounds the wait.
    assertThat(timers.tasks).extracting(ManualTimers.Task::delay).containsExactly(java.time.Duration.ofSeconds(15));

    // An assignment for another name warms nothing.
    warm.apply(XdsParsers.ENDPOINT, "e1", List.of(cla("stranger", 1)));
    assertThat(warm.warmingClusters).containsOnlyKeys("a");

    warm.apply(XdsParsers.ENDPOINT, "e2", List.of(cla("a", 1001)));
    assertThat(warm.warmingClusters).isEmpty();
    assertThat(warm.current().clusters().get("a").hosts).extracting(h -> h.hostPort).containsExactly("127.0.0.1:1001");
    assertThat(gauge("cluster_manager.warming_clusters")).isZero();
    assertThat(gauge("cluster_manager.active_clusters")).isEqualTo(2);
    assertThat(warm.clustersInitialized()).isTrue();
    assertThat(timers.tasks.getFirst().cancelled()[0]).isTrue();
    assertThat(warm.activeClusters.get("a").version()).isEqualTo("c1");

    // The same version again is no update: nothing warms.
    warm.apply(XdsParsers.CLUSTER, "c2", List.of(edsCluster("a"), staticCluster("s", 1009)));
    assertThat(warm.warmingClusters).isEmpty();
    assertThat(warm.activeClusters.get("a").version()).isEqualTo("c1");
  }

  /** An EDS cluster reading the ClusterLoadAssignment {@code service}. */
  static Any edsCluster(String name, int connectSeconds, String service) {
    return Any.pack(Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(connectSeconds))
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setServiceName(service)).build());
  }

  @Test
  void aChangedClusterKeepsServingItsPreviousVersionUntilTheNewOneIsWarm() {
    warm.apply(XdsParsers.CLUSTER, "c1", List.of(edsCluster("a", 1, "svc-v1")));
    warm.apply(XdsParsers.ENDPOINT, "e1", List.of(cla("svc-v1", 1001)));
    ClusterRuntime v1 = warm.current().clusters().get("a");
    assertThat(v1.cluster.connectTimeout()).hasSeconds(1);

    // A new version reading another assignment warms; the old one serves meanwhile.
    warm.apply(XdsParsers.CLUSTER, "c2", List.of(edsCluster("a", 2, "svc-v2")));
    assertThat(counter("cluster_manager.cluster_modified")).isEqualTo(1);
    assertThat(warm.warmingClusters.get("a").version()).isEqualTo("c2");
    assertThat(warm.edsNames()).containsExactly("svc-v1", "svc-v2");
    assertThat(warm.current().clusters().get("a")).isSameAs(v1);
    // The old version still takes endpoint updates.
    warm.apply(XdsParsers.ENDPOINT, "e2", List.of(cla("svc-v1", 1002)));
    assertThat(warm.current().clusters().get("a").cluster.connectTimeout()).hasSeconds(1);
    assertThat(warm.current().clusters().get("a").hosts).extracting(h -> h.hostPort).containsExactly("127.0.0.1:1002");
    warm.apply(XdsParsers.ENDPOINT, "e3", List.of(cla("svc-v2", 2002)));
    assertThat(warm.warmingClusters).isEmpty();
    ClusterRuntime v2 = warm.current().clusters().get("a");
    assertThat(v2.cluster.connectTimeout()).hasSeconds(2);
    assertThat(v2.hosts).extracting(h -> h.hostPort).containsExactly("127.0.0.1:2002");
    assertThat(warm.activeClusters.get("a").version()).isEqualTo("c2");
    assertThat(warm.edsNames()).containsExactly("svc-v2");

    // Changed, then changed back before it warmed: the version in service stays, nothing warms.
    warm.apply(XdsParsers.CLUSTER, "c3", List.of(edsCluster("a", 3, "svc-v3")));
    assertThat(warm.warmingClusters).containsOnlyKeys("a");
    warm.apply(XdsParsers.CLUSTER, "c4", List.of(edsCluster("a", 2, "svc-v2")));
    assertThat(warm.warmingClusters).isEmpty();
    assertThat(warm.current().clusters().get("a")).isSameAs(v2);

    // Changed settings, same assignment, which is held: active at once with it (a server may
    // resend only the assignments that changed).
    warm.apply(XdsParsers.CLUSTER, "c5", List.of(edsCluster("a", 5, "svc-v2")));
    assertThat(warm.warmingClusters).isEmpty();
    assertThat(warm.current().clusters().get("a").cluster.connectTimeout()).hasSeconds(5);
    assertThat(warm.current().clusters().get("a").hosts).extracting(h -> h.hostPort).containsExactly("127.0.0.1:2002");
  }

  @Test
  void initialFetchTimeoutWarmsWithTheHeldAssignmentOrNone() {
    warm.apply(XdsParsers.CLUSTER, "c1", List.of(edsClusterWithFetchTimeout("a", 5), edsClusterWithFetchTimeout("b", 5)));
    warm.apply(XdsParsers.ENDPOINT, "e1", List.of(cla("a", 1001)));
    assertThat(warm.warmingClusters).containsOnlyKeys("b");
    assertThat(timers.tasks).extracting(ManualTimers.Task::delay)
        .containsExactly(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(5));

    // b never gets an assignment: when its timeout fires it is active without endpoints (503 UH).
    List<String> warmed = new ArrayList<>();
    warm.onWarmed(() -> warmed.add("x"));
    timers.fire(1);
    assertThat(warm.current().clusters().get("b").hosts).isEmpty();
    assertThat(counter("cluster.b.init_fetch_timeout")).isEqualTo(1);
    assertThat(counter("cluster.b.assignment_use_cached")).isZero();
    assertThat(warmed).hasSize(1);
    assertThat(warm.clustersInitialized()).isTrue();

    // a changes to read the assignment that b reads (held, but not a's): on timeout the held one
    // is used (Envoy's EDS resources cache).
    warm.apply(XdsParsers.ENDPOINT, "e2", List.of(cla("b", 1002)));
    Any changed = Any.pack(io.envoyproxy.envoy.config.cluster.v3.Cluster.newBuilder()
        .mergeFrom(unpackCluster(edsClusterWithFetchTimeout("a", 5))).setLbPolicy(
            io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy.RANDOM)
        .setEdsClusterConfig(unpackCluster(edsClusterWithFetchTimeout("a", 5)).getEdsClusterConfig().toBuilder()
            .setServiceName("b")).build());
    warm.apply(XdsParsers.CLUSTER, "c2", List.of(changed, edsClusterWithFetchTimeout("b", 5)));
    assertThat(warm.warmingClusters).containsOnlyKeys("a");
    timers.fire(2);
    assertThat(warm.current().clusters().get("a").cluster.lbPolicy())
        .isEqualTo(dev.sluice.proxy.core.cluster.LbPolicy.RANDOM);
    assertThat(warm.current().clusters().get("a").hosts).extracting(h -> h.hostPort).containsExactly("127.0.0.1:1002");
    assertThat(counter("cluster.a.assignment_use_cached")).isEqualTo(1);

    // A timer of a version that is no longer warming does nothing.
    timers.fire(0);
    assertThat(counter("cluster.a.init_fetch_timeout")).isEqualTo(1);
  }

  @Test
  void zeroInitialFetchTimeoutWaitsAndARemovedWarmingClusterGoes() {
    warm.apply(XdsParsers.CLUSTER, "c1", List.of(edsClusterWithFetchTimeout("a", 0)));
    assertThat(timers.tasks).isEmpty();
    assertThat(warm.warmingClusters).containsOnlyKeys("a");
    warm.apply(XdsParsers.CLUSTER, "c2", List.of(edsClusterWithFetchTimeout("b", 7)));
    assertThat(warm.warmingClusters).containsOnlyKeys("b");
    assertThat(warm.edsNames()).containsExactly("b");
    assertThat(counter("cluster_manager.cluster_removed")).isEqualTo(1);
    warm.apply(XdsParsers.CLUSTER, "c3", List.of());
    assertThat(warm.warmingClusters).isEmpty();
    assertThat(timers.tasks.getFirst().cancelled()[0]).isTrue();
    assertThat(warm.clustersInitialized()).isTrue();
  }

  static io.envoyproxy.envoy.config.cluster.v3.Cluster unpackCluster(Any a) {
    try {
      return a.unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
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

    // b comes back: it warms until EDS sends its assignment again (nothing stale is revived).
    state.apply(XdsParsers.CLUSTER, "c3", List.of(edsCluster("a"), edsCluster("b")));
    assertThat(state.current().clusters()).containsOnlyKeys("a");
    assertThat(state.warmingClusters).containsOnlyKeys("b");
    state.apply(XdsParsers.ENDPOINT, "e6", List.of(cla("b", 1003)));
    assertThat(state.current().clusters().get("b").hosts).extracting(h -> h.hostPort).containsExactly("127.0.0.1:1003");
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
