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
      c.request(TypeUrls.CLUSTER, List.of(), "", "");
      c.ack(c.next(WAIT), List.of());
      List<String> eds = List.of("outbound|9080|v2|" + HOST, "outbound|9080||" + HOST);
      c.request(TypeUrls.ENDPOINT, eds, "", "");
      DiscoveryResponse first = c.next(WAIT);
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
      assertThat(xds.metrics().prometheus()).contains("pilot_xds_pushes{type=\"cds\"} 2")
          .contains("pilot_proxy_convergence_time_count 1");
    }
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
