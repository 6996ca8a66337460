package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.Resource;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.Protocol;
import dev.sluice.registry.ServicePort;
import dev.sluice.registry.WorkloadInstance;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Shared + inbound resources are exactly the full translation (what the xDS server's cache relies on). */
class SharedTranslationTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.sluice.translate.GoldenTest#cases")
  void sharedPlusInboundEqualsFullTranslation(String name) throws IOException {
    Golden.Case c = Golden.load(Golden.ROOT.resolve(name));
    ProxyResources full = XdsTranslator.translate(c.snapshot(), c.proxy());
    ProxyResources shared = XdsTranslator.translateShared(c.snapshot(), c.proxy());
    ProxyResources inbound = XdsTranslator.translateInbound(c.snapshot(), c.proxy());
    var listeners = new ArrayList<>(shared.listeners());
    listeners.addAll(inbound.listeners());
    listeners.sort(Comparator.comparing(io.envoyproxy.envoy.config.listener.v3.Listener::getName));
    var clusters = new ArrayList<>(shared.clusters());
    clusters.addAll(inbound.clusters());
    clusters.sort(Comparator.comparing(io.envoyproxy.envoy.config.cluster.v3.Cluster::getName));
    assertThat(listeners).isEqualTo(full.listeners());
    assertThat(clusters).isEqualTo(full.clusters());
    assertThat(shared.routes()).isEqualTo(full.routes());
    assertThat(shared.endpoints()).isEqualTo(full.endpoints());
    assertThat(ViewKey.of(c.snapshot(), c.proxy())).isEqualTo(ViewKey.of(c.snapshot(), c.proxy()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.sluice.translate.GoldenTest#cases")
  void viewsSharingOneSnapshotsTranslationsGetWhatTheyWouldAlone(String name) throws IOException {
    Golden.Case c = Golden.load(Golden.ROOT.resolve(name));
    SharedTranslations shared = new SharedTranslations(c.snapshot());
    // Proxies that see different DestinationRules (namespace, labels) share one memo, in either order.
    List<ProxyNode> nodes = List.of(c.proxy(),
        ProxyNode.sidecar("other-1", "other", "10.9.9.9", java.util.Map.of("app", "other")),
        ProxyNode.sidecar("reviews-v2-1", "default", "10.9.9.8", java.util.Map.of("app", "reviews", "version", "v2")),
        c.proxy());
    for (ProxyNode node : nodes) {
      assertThat(XdsTranslator.translateShared(c.snapshot(), node, shared))
          .isEqualTo(XdsTranslator.translateShared(c.snapshot(), node));
    }
  }

  static final String REVIEWS = "reviews.default.svc.cluster.local";
  static final MeshService SERVICE = new MeshService(REVIEWS, "reviews", "default",
      List.of(ServicePort.of("http", 9080, Protocol.HTTP)), Map.of("app", "reviews"), "", List.of(),
      MeshService.Origin.KUBERNETES, "STATIC", false);
  static final ProxyNode NODE = ProxyNode.sidecar("productpage-v1-1", "default", "10.1.0.9", Map.of("app", "productpage"));

  static WorkloadInstance pod(String name, String ip, String version) {
    return new WorkloadInstance(name, "default", ip, Map.of("app", "reviews", "version", version), "default",
        Map.of(), true, List.of());
  }

  static List<Resource> rule(String lb) {
    //language=YAML
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews
          trafficPolicy: {loadBalancer: {simple: %s}}
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """.formatted(lb);
    return new ConfigLoader().load("dr.yaml", new StringReader(yaml)).resources();
  }

  static Object cluster(ProxyResources r, String name) {
    return r.clusters().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
  }

  static Object assignment(ProxyResources r, String name) {
    return r.endpoints().stream().filter(e -> e.getClusterName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aNewSnapshotReusesWhatDidNotChangeAndRebuildsWhatDid() {
    List<Resource> config = rule("ROUND_ROBIN");
    List<WorkloadInstance> pods = List.of(pod("reviews-v1-a", "10.1.0.1", "v1"), pod("reviews-v2-a", "10.1.0.2", "v2"));
    MeshSnapshot a = MeshSnapshot.build(List.of(SERVICE), pods, config, "1");
    SharedTranslations memoA = new SharedTranslations(a);
    ProxyResources first = XdsTranslator.translateShared(a, NODE, memoA);

    // One more v2 pod: clusters are taken over as they are, the changed assignments rebuilt.
    List<WorkloadInstance> more = List.of(pods.get(0), pods.get(1), pod("reviews-v2-b", "10.1.0.3", "v2"));
    MeshSnapshot b = MeshSnapshot.build(List.of(SERVICE), more, config, "2");
    SharedTranslations memoB = new SharedTranslations(b, memoA);
    ProxyResources second = XdsTranslator.translateShared(b, NODE, memoB);
    assertThat(second).isEqualTo(XdsTranslator.translateShared(b, NODE));
    String v1 = "outbound|9080|v1|" + REVIEWS;
    String v2 = "outbound|9080|v2|" + REVIEWS;
    assertThat(cluster(second, v2)).isSameAs(cluster(first, v2));
    assertThat(assignment(second, v2)).isNotEqualTo(assignment(first, v2));
    assertThat(((ClusterLoadAssignment) assignment(second, v2)).getEndpoints(0).getLbEndpointsCount()).isEqualTo(2);

    // A changed DestinationRule (a new object) rebuilds its clusters; the instances did not change.
    memoB.releasePrevious();
    List<Resource> lb = rule("LEAST_REQUEST");
    MeshSnapshot c = MeshSnapshot.build(List.of(SERVICE), more, lb, "3");
    ProxyResources third = XdsTranslator.translateShared(c, NODE, new SharedTranslations(c, memoB));
    assertThat(third).isEqualTo(XdsTranslator.translateShared(c, NODE));
    assertThat(((Cluster) cluster(third, v1)).getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
    assertThat(((Cluster) cluster(second, v1)).getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
  }

  static final MeshService RATINGS = new MeshService("ratings.default.svc.cluster.local", "ratings", "default",
      List.of(ServicePort.of("http", 9080, Protocol.HTTP)), Map.of("app", "ratings"), "", List.of(),
      MeshService.Origin.KUBERNETES, "STATIC", false);

  static List<Resource> split(int v1) {
    //language=YAML
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews]
          http:
          - route:
            - {destination: {host: reviews, subset: v1}, weight: %d}
            - {destination: {host: reviews, subset: v2}, weight: %d}
        """.formatted(v1, 100 - v1);
    return new ConfigLoader().load("vs.yaml", new StringReader(yaml)).resources();
  }

  static io.envoyproxy.envoy.config.route.v3.VirtualHost vhost(ProxyResources r, String host) {
    return r.routes().getFirst().getVirtualHostsList().stream().filter(v -> v.getName().startsWith(host)).findFirst()
        .orElseThrow();
  }

  @Test
  void aVirtualServiceChangeRebuildsOnlyItsVirtualHost() {
    List<Resource> rule = rule("ROUND_ROBIN");
    List<WorkloadInstance> pods = List.of(pod("reviews-v1-a", "10.1.0.1", "v1"), pod("reviews-v2-a", "10.1.0.2", "v2"));
    List<Resource> before = new java.util.ArrayList<>(rule);
    before.addAll(split(80));
    MeshSnapshot a = MeshSnapshot.build(List.of(SERVICE, RATINGS), pods, before, "1");
    SharedTranslations memoA = new SharedTranslations(a);
    ProxyResources first = XdsTranslator.translateShared(a, NODE, memoA);

    List<Resource> after = new java.util.ArrayList<>(rule);
    after.addAll(split(70));
    MeshSnapshot b = MeshSnapshot.build(List.of(SERVICE, RATINGS), pods, after, "2");
    ProxyResources second = XdsTranslator.translateShared(b, NODE, new SharedTranslations(b, memoA));
    assertThat(second).isEqualTo(XdsTranslator.translateShared(b, NODE));
    assertThat(vhost(second, "ratings")).isSameAs(vhost(first, "ratings"));
    assertThat(vhost(second, "reviews")).isNotEqualTo(vhost(first, "reviews"));

    // A changed DestinationRule may change any route (subsets, hash policies): nothing is taken over.
    List<Resource> changedRule = new java.util.ArrayList<>(rule("RANDOM"));
    changedRule.addAll(split(70));
    MeshSnapshot c = MeshSnapshot.build(List.of(SERVICE, RATINGS), pods, changedRule, "3");
    ProxyResources third = XdsTranslator.translateShared(c, NODE, new SharedTranslations(c, memoA));
    assertThat(third).isEqualTo(XdsTranslator.translateShared(c, NODE));
    assertThat(vhost(third, "ratings")).isNotSameAs(vhost(first, "ratings"));
  }
}
