package dev.sluice.xds;

import static dev.sluice.xds.XdsServerTest.HOST;
import static dev.sluice.xds.XdsServerTest.instance;
import static dev.sluice.xds.XdsServerTest.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.config.ConfigLoader;
import dev.sluice.registry.InMemoryConfigStore;
import dev.sluice.registry.InMemoryServiceRegistry;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.Protocol;
import dev.sluice.registry.ServicePort;
import dev.sluice.translate.MeshSnapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gRPC flow control and the push throttle. The in-process transport with direct executors runs
 * every send, delivery and readiness change on the calling thread, so what a client has received
 * is settled when its call returns: no waiting, no timing.
 */
@Timeout(30)
class FlowControlTest {
  static final List<String> EDS = List.of("outbound|9080|v1|" + HOST, "outbound|9080||" + HOST);

  final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  final InMemoryConfigStore store = new InMemoryConfigStore();
  final List<Reader> readers = new ArrayList<>();
  XdsServer xds;
  XdsServerTest.Served served;

  @BeforeEach
  void mesh() {
    registry.putService(new MeshService(HOST, "reviews", "default", List.of(ServicePort.of("http", 9080, Protocol.HTTP)),
        Map.of("app", "reviews"), "", List.of(), MeshService.Origin.KUBERNETES, "STATIC", false));
    registry.putInstance(instance("reviews-v1-a", "10.0.0.1", "v1"));
    weights(100);
  }

  void serve(int pushThrottle) throws Exception {
    xds = new XdsServer(v -> MeshSnapshot.build(registry.services(), registry.instances(), store.list(), v),
        XdsServer.Options.DEFAULTS.withPushThrottle(pushThrottle));
    served = XdsServerTest.Served.of(xds);
  }

  @AfterEach
  void stop() {
    readers.forEach(Reader::close);
    if (served != null) {
      served.close();
      xds.close();
    }
  }

  /** A VirtualService sending {@code v1Weight} % to v1 and the rest to v2 (changes every proxy's RDS). */
  void weights(int v1Weight) {
    //language=YAML
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews]
          http:
          - route:
            - {destination: {host: reviews, subset: v1}, weight: %d}
            - {destination: {host: reviews, subset: v2}, weight: %d}
        """.formatted(v1Weight, 100 - v1Weight);
    new ConfigLoader().load("rules.yaml", new StringReader(yaml)).resources().forEach(store::apply);
  }

  /** An ADS client that takes a response only when the test says {@link #read}. */
  final class Reader implements ClientResponseObserver<DiscoveryRequest, DiscoveryResponse>, AutoCloseable {
    final ConcurrentLinkedQueue<DiscoveryResponse> received = new ConcurrentLinkedQueue<>();
    final Node node;
    ClientCallStreamObserver<DiscoveryRequest> stream;

    Reader(ManagedChannel channel, String id) {
      node = Node.newBuilder().setId(id).setMetadata(Struct.newBuilder().putFields("LABELS",
          Value.newBuilder().setStructValue(Struct.newBuilder().putFields("app",
              Value.newBuilder().setStringValue("productpage").build())).build())).build();
      AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
      readers.add(this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> s) {
      stream = s;
      s.disableAutoRequestWithInitial(0);
    }

    @Override
    public void onNext(DiscoveryResponse r) {
      received.add(r);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}

    void request(String type, List<String> names, String version, String nonce) {
      stream.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type).addAllResourceNames(names)
          .setVersionInfo(version).setResponseNonce(nonce).build());
    }

    /** Subscribes like a sidecar: wildcard CDS and LDS, two assignments, the 9080 routes. */
    void subscribeAll() {
      request(TypeUrls.CLUSTER, List.of(), "", "");
      request(TypeUrls.ENDPOINT, EDS, "", "");
      request(TypeUrls.LISTENER, List.of(), "", "");
      request(TypeUrls.ROUTE, List.of("9080"), "", "");
    }

    /** Lets {@code n} more responses in; they are in {@link #received} when this returns. */
    void read(int n) {
      stream.request(n);
    }

    @Override
    public void close() {
      try {
        stream.onCompleted();
      } catch (IllegalStateException alreadyCancelled) {
        // the test cancelled it
      }
    }
  }

  void addService(String name) {
    registry.putService(new MeshService(name + ".default.svc.cluster.local", name, "default",
        List.of(ServicePort.of("http", 9080, Protocol.HTTP)), Map.of("app", name), "", List.of(),
        MeshService.Origin.KUBERNETES, "STATIC", false));
  }

  static String id(int i) {
    return "sidecar~10.0.1." + i + "~productpage-v1-" + i + ".default~default.svc.cluster.local";
  }

  @Test
  void aClientThatDoesNotReadGetsAtMostOneResponsePerTypeAndThenOnlyTheLatestState() throws Exception {
    serve(100);
    Reader r = new Reader(served.channel(), id(1));
    r.subscribeAll();
    assertThat(r.received).isEmpty();
    assertThat(xds.due(id(1))).isEqualTo(4);

    // Five pushes while the stream cannot take anything: endpoint-only and full, each changing the
    // proxy's config. The server keeps one due response per type, not one per push.
    for (int i = 0; i < 5; i++) {
      registry.putInstance(instance("reviews-v1-x" + i, "10.0.0." + (10 + i), "v1"));
      xds.pushNow(false).get();
      weights(90 - i);
      xds.pushNow(true).get();
      assertThat(xds.due(id(1))).isEqualTo(4);
    }
    assertThat(r.received).isEmpty();
    assertThat(xds.metrics().pushes("cds") + xds.metrics().pushes("eds") + xds.metrics().pushes("lds")
        + xds.metrics().pushes("rds")).isZero();

    // Reading one at a time, the proxy gets each type once, built from the latest state, in
    // CDS → EDS → LDS → RDS order; each ACK matches the response it answers.
    String latest = xds.snapshot().version();
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      r.read(1);
      assertThat(r.received).hasSize(1);
      DiscoveryResponse resp = r.received.poll();
      order.add(resp.getTypeUrl());
      assertThat(resp.getVersionInfo()).isEqualTo(latest);
      List<String> names = resp.getTypeUrl().equals(TypeUrls.ENDPOINT) ? EDS
          : resp.getTypeUrl().equals(TypeUrls.ROUTE) ? List.of("9080") : List.of();
      r.request(resp.getTypeUrl(), names, resp.getVersionInfo(), resp.getNonce());
      if (resp.getTypeUrl().equals(TypeUrls.ENDPOINT)) {
        assertThat(names(resp)).containsExactlyInAnyOrderElementsOf(EDS);
        assertThat(XdsServerTest.endpoints(resp, "outbound|9080|v1|" + HOST)).isEqualTo(6);
      }
      if (resp.getTypeUrl().equals(TypeUrls.ROUTE)) {
        // The last weights (86/14), not any of the four before them.
        assertThat(resp.getResources(0).unpack(RouteConfiguration.class).toString())
            .contains("value: 86").doesNotContain("value: 87");
      }
    }
    assertThat(order).containsExactly(TypeUrls.CLUSTER, TypeUrls.ENDPOINT, TypeUrls.LISTENER, TypeUrls.ROUTE);
    r.read(10);
    assertThat(r.received).isEmpty();
    assertThat(xds.due(id(1))).isZero();
    assertThat(xds.proxyStatus()).singleElement().satisfies(s -> assertThat(s.status().values())
        .containsOnly("SYNCED"));
    assertThat(xds.throttle().inFlight()).isZero();

    // Reading again, it follows the next push at once.
    weights(50);
    xds.pushNow(true).get();
    assertThat(r.received).extracting(DiscoveryResponse::getTypeUrl).containsExactly(TypeUrls.ROUTE);
    assertThat(r.received.peek().getVersionInfo()).isEqualTo(xds.snapshot().version());
  }

  @Test
  void anAckForTheSentResponseCountsWhileANewerOneIsStillDue() throws Exception {
    serve(100);
    Reader r = new Reader(served.channel(), id(1));
    r.request(TypeUrls.CLUSTER, List.of(), "", "");
    r.read(1);
    DiscoveryResponse first = r.received.poll();
    assertThat(first).isNotNull();

    // A new cluster while the stream cannot take the update: the ACK of the first response is
    // an ACK (the update has no nonce yet), and the update carries the new cluster.
    addService("ratings");
    xds.pushNow(true).get();
    r.request(TypeUrls.CLUSTER, List.of(), first.getVersionInfo(), first.getNonce());
    assertThat(xds.proxyStatus().getFirst().status()).containsEntry("cds", "SYNCED");
    assertThat(xds.due(id(1))).isEqualTo(1);

    r.read(1);
    DiscoveryResponse update = r.received.poll();
    assertThat(names(update)).contains("outbound|9080||ratings.default.svc.cluster.local");
    assertThat(update.getNonce()).isNotEqualTo(first.getNonce());
    assertThat(xds.proxyStatus().getFirst().status()).containsEntry("cds", "STALE");
    // A late repeat of the old nonce does not count for the new response.
    r.request(TypeUrls.CLUSTER, List.of(), first.getVersionInfo(), first.getNonce());
    assertThat(xds.proxyStatus().getFirst().status()).containsEntry("cds", "STALE");
    r.request(TypeUrls.CLUSTER, List.of(), update.getVersionInfo(), update.getNonce());
    assertThat(xds.proxyStatus().getFirst().status()).containsEntry("cds", "SYNCED");
  }

  @Test
  void theThrottleLetsAtMostItsLimitOfProxiesSendAndTheOthersFollowInArrivalOrder() throws Exception {
    serve(2);
    List<Reader> rs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Reader r = new Reader(served.channel(), id(i));
      r.request(TypeUrls.CLUSTER, List.of(), "", "");
      rs.add(r);
    }
    assertThat(xds.throttle().inFlight()).isEqualTo(2);
    assertThat(xds.throttle().waiting()).isEqualTo(3);
    assertThat(xds.metrics().prometheus()).contains("sluice_xds_pushes_in_flight 2\n")
        .contains("sluice_xds_pushes_waiting 3\n");

    // Proxies 2..4 read, but wait for a slot: nothing reaches them.
    for (int i = 2; i < 5; i++) {
      rs.get(i).read(10);
      assertThat(rs.get(i).received).isEmpty();
    }
    // Proxy 0 reads: its slot passes to 2, 3 and 4 in turn (each takes its response at once).
    rs.get(0).read(10);
    for (int i : List.of(0, 2, 3, 4)) {
      assertThat(rs.get(i).received).as("proxy %d", i).hasSize(1);
    }
    assertThat(rs.get(1).received).isEmpty();
    assertThat(xds.throttle().inFlight()).isEqualTo(1);
    assertThat(xds.metrics().queueTime().count()).isEqualTo(3);

    // A push (a new cluster) while proxy 1 still holds its slot: the others go through the free one.
    addService("ratings");
    xds.pushNow(true).get();
    for (int i : List.of(0, 2, 3, 4)) {
      assertThat(rs.get(i).received).as("proxy %d", i).hasSize(2);
    }
    rs.get(1).read(10);
    assertThat(rs.get(1).received).hasSize(1); // the latest clusters, once
    assertThat(rs.get(1).received.peek().getVersionInfo()).isEqualTo(xds.snapshot().version());
    assertThat(xds.throttle().inFlight()).isZero();
    assertThat(xds.throttle().waiting()).isZero();
    assertThat(xds.throttle().highWater()).isEqualTo(2);
  }

  @Test
  void aProxyThatGoesAwayGivesUpItsSlot() throws Exception {
    serve(1);
    Reader a = new Reader(served.channel(), id(1));
    a.request(TypeUrls.CLUSTER, List.of(), "", "");
    Reader b = new Reader(served.channel(), id(2));
    b.request(TypeUrls.CLUSTER, List.of(), "", "");
    b.read(1);
    assertThat(b.received).isEmpty();
    a.stream.cancel("gone", null);
    assertThat(b.received).hasSize(1);
    // A small response does not keep the slot (under gRPC's 32 KB readiness threshold).
    assertThat(xds.throttle().inFlight()).isZero();
  }

  @Test
  void aLargeResponseKeepsItsSlotUntilTheProxyHasTakenIt() throws Exception {
    for (int i = 0; i < 300; i++) {
      addService("svc-" + i);
    }
    serve(1);
    Reader a = new Reader(served.channel(), id(1));
    a.request(TypeUrls.CLUSTER, List.of(), "", "");
    a.read(1);
    assertThat(a.received.peek().getSerializedSize()).isGreaterThan(32 * 1024);
    Reader b = new Reader(served.channel(), id(2));
    b.request(TypeUrls.CLUSTER, List.of(), "", "");
    b.read(1);
    // a's stream has not taken its response yet (the in-process transport: a has not asked for
    // the next message), so a keeps the only slot and b waits.
    assertThat(b.received).isEmpty();
    assertThat(xds.throttle().waiting()).isEqualTo(1);
    a.read(1);
    assertThat(b.received).hasSize(1);
  }

  @Test
  void thePushThrottleIsReadFromIstiodsVariable() {
    assertThat(XdsServer.Options.pushThrottle(Map.of())).isEqualTo(100);
    assertThat(XdsServer.Options.pushThrottle(Map.of("PILOT_PUSH_THROTTLE", " 20 "))).isEqualTo(20);
    assertThatThrownBy(() -> XdsServer.Options.pushThrottle(Map.of("PILOT_PUSH_THROTTLE", "0")))
        .hasMessageContaining("PILOT_PUSH_THROTTLE=0");
    assertThatThrownBy(() -> XdsServer.Options.DEFAULTS.withPushThrottle(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
