package dev.sluice.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import dev.sluice.config.ConfigLoader;
import dev.sluice.registry.InMemoryConfigStore;
import dev.sluice.registry.InMemoryServiceRegistry;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.Protocol;
import dev.sluice.registry.ServicePort;
import dev.sluice.registry.WorkloadInstance;
import dev.sluice.translate.MeshSnapshot;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ADS protocol: responses, ACK/NACK bookkeeping, EDS-only pushes, config dumps. */
@Timeout(30)
class XdsServerTest {
  static final Duration WAIT = Duration.ofSeconds(5);
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String ID = "sidecar~10.0.0.9~productpage-v1-abc.default~default.svc.cluster.local";

  final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  final InMemoryConfigStore store = new InMemoryConfigStore();
  XdsServer xds;
  Server server;
  ManagedChannel channel;

  static WorkloadInstance instance(String name, String ip, String version) {
    return new WorkloadInstance(name, "default", ip, Map.of("app", "reviews", "version", version), "bookinfo-reviews",
        Map.of(), true, List.of());
  }

  @BeforeEach
  void start() throws Exception {
    registry.putService(new MeshService(HOST, "reviews", "default", List.of(ServicePort.of("http", 9080, Protocol.HTTP)),
        Map.of("app", "reviews"), "", List.of(), MeshService.Origin.KUBERNETES, "STATIC", false));
    registry.putInstance(instance("reviews-v1-a", "10.0.0.1", "v1"));
    //language=YAML
    String dr = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """;
    new ConfigLoader().load("dr.yaml", new StringReader(dr)).resources().forEach(store::apply);
    xds = new XdsServer(v -> MeshSnapshot.build(registry.services(), registry.instances(), store.list(), v),
        XdsServer.Options.DEFAULTS);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(xds.service()).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    xds.close();
  }

  static List<String> names(DiscoveryResponse r) {
    return r.getResourcesList().stream().map(ConfigDumps::name).toList();
  }

  @Test
  void clustersAreSentAckedAndReportedSynced() throws Exception {
    try (AdsClientFake c = new AdsClientFake(channel, ID, Map.of("app", "productpage"))) {
      c.request(TypeUrls.CLUSTER, List.of(), "", "");
      DiscoveryResponse cds = c.next(WAIT);
      assertThat(names(cds)).contains("outbound|9080||" + HOST, "outbound|9080|v1|" + HOST, "outbound|9080|v2|" + HOST,
          "BlackHoleCluster");
      assertThat(xds.proxyStatus()).singleElement().satisfies(s -> {
        assertThat(s.proxy()).isEqualTo(ID);
        assertThat(s.status()).containsEntry("cds", "STALE").containsEntry("lds", "NOT SENT");
      });
      c.ack(cds, List.of());
      await().atMost(WAIT).until(() -> xds.proxyStatus().getFirst().status().get("cds").equals("SYNCED"));
      assertThat(xds.configDump("productpage-v1")).get().asString().contains("outbound|9080|v2|" + HOST);
    }
  }

  @Test
  void aNackIsRecordedWithItsMessageAndNotRetried() throws Exception {
    try (AdsClientFake c = new AdsClientFake(channel, ID, Map.of())) {
      c.request(TypeUrls.LISTENER, List.of(), "", "");
      DiscoveryResponse lds = c.next(WAIT);
      c.nack(lds, List.of(), "Listener 0.0.0.0_9080: bad filter");
      await().atMost(WAIT).until(() -> xds.proxyStatus().getFirst().status().get("lds").equals("ERROR"));
      assertThat(xds.proxyStatus().getFirst().errors()).containsEntry("lds", "Listener 0.0.0.0_9080: bad filter");
      assertThat(xds.metrics().rejects("lds")).isEqualTo(1);
      assertThat(c.responses).isEmpty();
    }
  }

  @Test
  void anInstanceChangeIsPushedAsEdsAlone() throws Exception {
    try (AdsClientFake c = new AdsClientFake(channel, ID, Map.of())) {
      List<String> eds = List.of("outbound|9080|v2|" + HOST, "outbound|9080||" + HOST);
      DiscoveryResponse first = clustersThenEndpoints(c, eds);
      assertThat(endpoints(first, "outbound|9080|v2|" + HOST)).isZero();
      c.ack(first, eds);
      long cds = xds.metrics().pushes("cds");

      registry.putInstance(instance("reviews-v2-a", "10.0.0.2", "v2"));
      xds.pushNow(false).get();

      DiscoveryResponse update = c.next(WAIT);
      assertThat(update.getTypeUrl()).isEqualTo(TypeUrls.ENDPOINT);
      assertThat(endpoints(update, "outbound|9080|v2|" + HOST)).isEqualTo(1);
      assertThat(endpoints(update, "outbound|9080||" + HOST)).isEqualTo(2);
      assertThat(xds.metrics().pushes("cds")).isEqualTo(cds);
      assertThat(xds.metrics().edsPushes()).isEqualTo(1);
    }
  }

  @Test
  void anInstanceChangedInPlaceSendsOnlyTheAssignmentsThatChanged() throws Exception {
    // Snapshots built from the previous one: the instance index is patched, not rebuilt.
    XdsServer incremental = new XdsServer(
        (prev, v) -> MeshSnapshot.build(prev, registry.services(), registry.instances(), store.list(), v),
        XdsServer.Options.DEFAULTS, null);
    registry.putInstance(instance("reviews-v2-a", "10.0.0.2", "v2"));
    incremental.pushNow(false).get();
    try (Served served = Served.of(incremental); AdsClientFake c = new AdsClientFake(served.channel(), ID, Map.of())) {
      List<String> eds = List.of("outbound|9080|v1|" + HOST, "outbound|9080|v2|" + HOST, "outbound|9080||" + HOST);
      DiscoveryResponse first = clustersThenEndpoints(c, eds);
      assertThat(names(first)).containsExactlyInAnyOrderElementsOf(eds);
      c.ack(first, eds);
      long cds = incremental.metrics().pushes("cds");

      WorkloadInstance v1 = registry.instances().getFirst();
      for (boolean healthy : List.of(false, true, false)) {
        registry.putInstance(v1.withHealthy(healthy));
        incremental.pushNow(false).get();
        DiscoveryResponse update = c.next(WAIT);
        assertThat(update.getTypeUrl()).isEqualTo(TypeUrls.ENDPOINT);
        // The v2 assignment did not change: only v1's subset and the service's default cluster are sent.
        assertThat(names(update)).containsExactlyInAnyOrder("outbound|9080|v1|" + HOST, "outbound|9080||" + HOST);
        // Not-ready instances are left out of the assignments.
        assertThat(endpoints(update, "outbound|9080||" + HOST)).isEqualTo(healthy ? 2 : 1);
        assertThat(endpoints(update, "outbound|9080|v1|" + HOST)).isEqualTo(healthy ? 1 : 0);
        c.ack(update, eds);
      }
      assertThat(incremental.metrics().pushes("cds")).isEqualTo(cds);
      assertThat(c.responses).isEmpty();
    } finally {
      incremental.close();
    }
  }

  @Test
  void aConfigChangeIsDebouncedIntoAFullPushOfWhatChanged() throws Exception {
    store.addListener(xds::onChange);
    try (AdsClientFake c = new AdsClientFake(channel, ID, Map.of())) {
      c.request(TypeUrls.CLUSTER, List.of(), "", "");
      DiscoveryResponse cds = c.next(WAIT);
      c.ack(cds, List.of());
      //language=YAML
      String lb = """
          apiVersion: networking.istio.io/v1
          kind: DestinationRule
          metadata: {name: reviews, namespace: default}
          spec:
            host: reviews
            trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
            subsets:
            - {name: v1, labels: {version: v1}}
          """;
      new ConfigLoader().load("dr.yaml", new StringReader(lb)).resources().forEach(store::apply);
      DiscoveryResponse update = c.next(WAIT);
      assertThat(update.getTypeUrl()).isEqualTo(TypeUrls.CLUSTER);
      assertThat(Long.parseLong(update.getVersionInfo())).isGreaterThan(Long.parseLong(cds.getVersionInfo()));
      assertThat(names(update)).contains("outbound|9080|v1|" + HOST).doesNotContain("outbound|9080|v2|" + HOST);
      assertThat(xds.metrics().fullPushes()).isEqualTo(1);
      // Recorded once the send returns, which may be just after the client has the response.
      await().atMost(WAIT).untilAsserted(() -> assertThat(xds.metrics().prometheus())
          .contains("pilot_xds_pushes{type=\"cds\"} 2").contains("pilot_proxy_convergence_time_count 1"));
    }
  }

  @Test
  void anEndpointPushCarriesOnlyTheAssignmentsThatChanged() throws Exception {
    try (AdsClientFake c = new AdsClientFake(channel, ID, Map.of())) {
      List<String> eds = List.of("outbound|9080|v1|" + HOST, "outbound|9080|v2|" + HOST, "outbound|9080||" + HOST);
      DiscoveryResponse first = clustersThenEndpoints(c, eds);
      assertThat(names(first)).containsExactlyInAnyOrderElementsOf(eds);
      c.ack(first, eds);

      registry.putInstance(instance("reviews-v2-a", "10.0.0.2", "v2"));
      xds.pushNow(false).get();

      // v1's assignment is unchanged: SotW EDS responses may leave it out, and the proxy keeps it.
      DiscoveryResponse update = c.next(WAIT);
      assertThat(names(update)).containsExactlyInAnyOrder("outbound|9080|v2|" + HOST, "outbound|9080||" + HOST);
      assertThat(endpoints(update, "outbound|9080|v2|" + HOST)).isEqualTo(1);
      c.ack(update, eds);
      // What the proxy holds is still reported whole.
      assertThat(xds.configDump(ID)).get().asString().contains("outbound|9080|v1|" + HOST);

      // A request (here: the same names again after a reconnect-like resubscription) gets everything.
      c.request(TypeUrls.ENDPOINT, eds.reversed(), "", "");
      assertThat(names(c.next(WAIT))).containsExactlyInAnyOrderElementsOf(eds);
    }
  }

  @Test
  void newClustersAreWarmedAtOnceAndPushesGoOutClustersBeforeRoutes() throws Exception {
    FakeScheduler clock = new FakeScheduler();
    xds.close();
    xds = new XdsServer(v -> MeshSnapshot.build(registry.services(), registry.instances(), store.list(), v),
        XdsServer.Options.DEFAULTS, clock);
    store.addListener(xds::onChange);
    try (Served served = Served.of(xds); AdsClientFake c = new AdsClientFake(served.channel(), ID, Map.of())) {
      List<String> eds = List.of("outbound|9080|v1|" + HOST, "outbound|9080|v2|" + HOST, "outbound|9080||" + HOST);
      c.ack(clustersThenEndpoints(c, eds), eds);
      c.request(TypeUrls.LISTENER, List.of(), "", "");
      c.ack(c.next(WAIT), List.of());
      c.request(TypeUrls.ROUTE, List.of("9080"), "", "");
      c.ack(c.next(WAIT), List.of("9080"));

      //language=YAML
      String v3 = """
          apiVersion: networking.istio.io/v1
          kind: DestinationRule
          metadata: {name: reviews, namespace: default}
          spec:
            host: reviews
            subsets:
            - {name: v1, labels: {version: v1}}
            - {name: v2, labels: {version: v2}}
            - {name: v3, labels: {version: v3}}
          ---
          apiVersion: networking.istio.io/v1
          kind: VirtualService
          metadata: {name: reviews, namespace: default}
          spec:
            hosts: [reviews]
            http:
            - route:
              - destination: {host: reviews, subset: v3}
          """;
      new ConfigLoader().load("v3.yaml", new StringReader(v3)).resources().forEach(store::apply);
      assertThat(c.responses).isEmpty(); // debounced
      clock.advanceMillis(100);
      List<String> order = new java.util.ArrayList<>();
      for (DiscoveryResponse r; (r = c.responses.poll()) != null; ) {
        order.add(r.getTypeUrl());
        if (r.getTypeUrl().equals(TypeUrls.CLUSTER)) {
          assertThat(names(r)).contains("outbound|9080|v3|" + HOST);
        }
        if (r.getTypeUrl().equals(TypeUrls.ENDPOINT)) {
          // Unchanged, but sent whole after new clusters: clusters being warmed need their assignments.
          assertThat(names(r)).containsExactlyInAnyOrderElementsOf(eds);
        }
      }
      // The new cluster first, its route last (make before break); LDS did not change.
      assertThat(order).containsExactly(TypeUrls.CLUSTER, TypeUrls.ENDPOINT, TypeUrls.ROUTE);

      // Envoy warms the new cluster by asking for its endpoints: answered at once, with no clock movement.
      List<String> warmed = List.of("outbound|9080|v1|" + HOST, "outbound|9080|v2|" + HOST,
          "outbound|9080|v3|" + HOST, "outbound|9080||" + HOST);
      c.request(TypeUrls.ENDPOINT, warmed, "", "");
      DiscoveryResponse answer = c.responses.poll();
      assertThat(answer).isNotNull();
      assertThat(names(answer)).containsExactlyInAnyOrderElementsOf(warmed);
    }
  }

  /** A second server for one test, over grpc's in-process transport, closed with the test's client. */
  record Served(Server server, ManagedChannel channel) implements AutoCloseable {
    static Served of(XdsServer xds) throws java.io.IOException {
      String name = InProcessServerBuilder.generateName();
      Server s = InProcessServerBuilder.forName(name).directExecutor().addService(xds.service()).build().start();
      return new Served(s, InProcessChannelBuilder.forName(name).directExecutor().build());
    }

    @Override
    public void close() {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  /** Subscribes to CDS (ACKed), then to the given EDS names; returns the first EDS response, not ACKed. */
  static DiscoveryResponse clustersThenEndpoints(AdsClientFake c, List<String> eds) throws Exception {
    c.request(TypeUrls.CLUSTER, List.of(), "", "");
    c.ack(c.next(WAIT), List.of());
    c.request(TypeUrls.ENDPOINT, eds, "", "");
    return c.next(WAIT);
  }

  static int endpoints(DiscoveryResponse r, String cluster) throws Exception {
    for (Any a : r.getResourcesList()) {
      ClusterLoadAssignment cla = a.unpack(ClusterLoadAssignment.class);
      if (cla.getClusterName().equals(cluster)) {
        return cla.getEndpointsList().stream().mapToInt(l -> l.getLbEndpointsCount()).sum();
      }
    }
    return -1;
  }
}
