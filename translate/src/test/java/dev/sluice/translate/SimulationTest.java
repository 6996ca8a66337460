package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.ConformanceFiles;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.Resource;
import dev.sluice.registry.InMemoryConfigStore;
import dev.sluice.registry.kube.KubeWorkloads;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Translator output fed to sluice-proxy's matcher: which cluster does a request reach? */
class SimulationTest {
  static final String REVIEWS = "reviews.default.svc.cluster.local";

  static Simulation simulate(String goldenCase) throws IOException {
    Golden.Case c = Golden.load(Golden.ROOT.resolve(goldenCase));
    return new Simulation(XdsTranslator.translate(c.snapshot(), c.proxy()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.sluice.translate.GoldenTest#cases")
  void everyGoldenCaseIsAcceptedByTheProxyParsers(String name) throws IOException {
    assertThat(simulate(name).errors()).isEmpty();
  }

  @Test
  void jasonReachesReviewsV2AndEveryoneElseV1() throws IOException {
    Simulation s = simulate("virtual-service-reviews-test-v2");
    assertThat(s.route("0.0.0.0_9080", "reviews:9080", "/reviews/0", Map.of("end-user", "jason")))
        .isEqualTo("outbound|9080|v2|" + REVIEWS);
    assertThat(s.route("0.0.0.0_9080", "reviews:9080", "/reviews/0", Map.of("end-user", "mallory")))
        .isEqualTo("outbound|9080|v1|" + REVIEWS);
    assertThat(s.route("0.0.0.0_9080", "reviews.default.svc.cluster.local", "/", Map.of()))
        .isEqualTo("outbound|9080|v1|" + REVIEWS);
  }

  @Test
  void explicitCaptureRoutesByHostAndPort() throws IOException {
    Simulation s = simulate("bookinfo-http-proxy");
    assertThat(s.listeners.resources()).containsOnlyKeys("127.0.0.1_15080");
    assertThat(s.route("127.0.0.1_15080", "reviews:9080", "/reviews/0", Map.of("end-user", "jason")))
        .isEqualTo("outbound|9080|v2|" + REVIEWS);
    assertThat(s.route("127.0.0.1_15080", "details:9080", "/details/0", Map.of()))
        .isEqualTo("outbound|9080||details.default.svc.cluster.local");
    assertThat(s.route("127.0.0.1_15080", "reviews", "/", Map.of())).isEqualTo("404");
  }

  @Test
  void weightsSplitAsWritten() throws IOException {
    assertThat(simulate("virtual-service-reviews-80-20").route("0.0.0.0_9080", "reviews:9080", "/", Map.of()))
        .isEqualTo("outbound|9080|v1|" + REVIEWS + "=80, outbound|9080|v2|" + REVIEWS + "=20");
    assertThat(simulate("tutorial-recommendation-v1-and-v2-75-25")
        .route("0.0.0.0_8080", "recommendation:8080", "/", Map.of()))
        .isEqualTo("outbound|8080|version-v1|recommendation.default.svc.cluster.local=75, "
            + "outbound|8080|version-v2|recommendation.default.svc.cluster.local=25");
  }

  @Test
  void withoutVirtualServiceTheDefaultRouteReachesAllEndpoints() throws IOException {
    Simulation s = simulate("destination-rule-all");
    assertThat(s.route("0.0.0.0_9080", "reviews", "/", Map.of())).isEqualTo("outbound|9080||" + REVIEWS);
    assertThat(s.endpoints.resources().get("outbound|9080||" + REVIEWS).endpoints()).hasSize(3);
    assertThat(s.endpoints.resources().get("outbound|9080|v2|" + REVIEWS).endpoints()).hasSize(1);
    assertThat(s.route("0.0.0.0_9080", "unknown.example.com", "/", Map.of())).isEqualTo("PassthroughCluster");
  }

  @Test
  void gatewayListenersUseTheServiceTargetPortAndShareRoutes() throws IOException {
    Simulation s = simulate("bookinfo-and-helloworld-gateways");
    assertThat(s.listeners.resources()).containsOnlyKeys("0.0.0.0_8080");
    assertThat(s.route("0.0.0.0_8080", "127.0.0.1:8080", "/productpage", Map.of()))
        .isEqualTo("outbound|9080||productpage.default.svc.cluster.local");
    assertThat(s.route("0.0.0.0_8080", "127.0.0.1:8080", "/hello", Map.of()))
        .isEqualTo("outbound|5000||helloworld.default.svc.cluster.local");
    assertThat(s.route("0.0.0.0_8080", "127.0.0.1:8080", "/nothing", Map.of())).isEqualTo("404");
  }

  @Test
  void tutorialHeaderRegexMatch() throws IOException {
    Simulation s = simulate("tutorial-firefox-recommendation-v2");
    String firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
    assertThat(s.route("0.0.0.0_8080", "recommendation:8080", "/", Map.of("baggage-user-agent", firefox)))
        .isEqualTo("outbound|8080|version-v2|recommendation.default.svc.cluster.local");
    assertThat(s.route("0.0.0.0_8080", "recommendation:8080", "/", Map.of("baggage-user-agent", "curl/8")))
        .isEqualTo("outbound|8080|version-v1|recommendation.default.svc.cluster.local");
  }

  //language=YAML
  static final String SOURCE_RULES = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: reviews, namespace: default}
      spec:
        hosts: [reviews]
        http:
        - match: [{sourceLabels: {app: productpage}}]
          route: [{destination: {host: reviews, subset: v2}}]
        - match: [{sourceNamespace: other}]
          route: [{destination: {host: reviews, subset: v3}}]
        - route: [{destination: {host: reviews, subset: v1}}]
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: ratings-private, namespace: other}
      spec:
        hosts: [ratings.default.svc.cluster.local]
        exportTo: ["."]
        http:
        - route: [{destination: {host: ratings.default.svc.cluster.local, subset: v2}}]
      """;

  static MeshSnapshot withRules() throws IOException {
    Path bookinfo = ConformanceFiles.root().resolve("istio-samples/bookinfo/platform/kube/bookinfo.yaml");
    Path dr = ConformanceFiles.root().resolve("istio-samples/bookinfo/networking/destination-rule-all.yaml");
    ConfigLoader loader = new ConfigLoader();
    List<Resource> all = loader.load(bookinfo.toString(), new StringReader(java.nio.file.Files.readString(bookinfo)))
        .plus(loader.load(dr.toString(), new StringReader(java.nio.file.Files.readString(dr))))
        .plus(loader.load("inline", new StringReader(SOURCE_RULES)))
        .resources().stream().map(r -> r.withDefaultNamespace("default")).toList();
    InMemoryConfigStore store = new InMemoryConfigStore();
    assertThat(store.replaceAll(all)).noneMatch(r -> r.status() == dev.sluice.registry.ApplyResult.Status.REJECTED);
    List<Resource> platform = all.stream().filter(r -> !r.kind().isIstio()).toList();
    return MeshSnapshot.build(KubeWorkloads.services(platform, "cluster.local"), KubeWorkloads.instances(platform),
        store.list(), "1");
  }

  @Test
  void sourceLabelsAndSourceNamespaceAreDecidedPerProxy() throws IOException {
    MeshSnapshot mesh = withRules();
    var productpage = ProxyNode.sidecar("productpage-v1-x", "default", "10.1.0.1", Map.of("app", "productpage"));
    var details = ProxyNode.sidecar("details-v1-x", "default", "10.1.0.2", Map.of("app", "details"));
    var other = ProxyNode.sidecar("sleep-x", "other", "10.1.0.3", Map.of("app", "sleep"));
    assertThat(new Simulation(XdsTranslator.translate(mesh, productpage)).route("0.0.0.0_9080", "reviews:9080", "/", Map.of()))
        .isEqualTo("outbound|9080|v2|" + REVIEWS);
    assertThat(new Simulation(XdsTranslator.translate(mesh, details)).route("0.0.0.0_9080", "reviews:9080", "/", Map.of()))
        .isEqualTo("outbound|9080|v1|" + REVIEWS);
    assertThat(new Simulation(XdsTranslator.translate(mesh, other))
        .route("0.0.0.0_9080", "reviews.default:9080", "/", Map.of()))
        .isEqualTo("outbound|9080|v3|" + REVIEWS);
  }

  @Test
  void exportToHidesAVirtualServiceFromOtherNamespaces() throws IOException {
    MeshSnapshot mesh = withRules();
    var inDefault = ProxyNode.sidecar("productpage-v1-x", "default", "10.1.0.1", Map.of("app", "productpage"));
    var inOther = ProxyNode.sidecar("sleep-x", "other", "10.1.0.3", Map.of("app", "sleep"));
    assertThat(new Simulation(XdsTranslator.translate(mesh, inDefault)).route("0.0.0.0_9080", "ratings:9080", "/", Map.of()))
        .isEqualTo("outbound|9080||ratings.default.svc.cluster.local");
    assertThat(new Simulation(XdsTranslator.translate(mesh, inOther))
        .route("0.0.0.0_9080", "ratings.default:9080", "/", Map.of()))
        .isEqualTo("outbound|9080|v2|ratings.default.svc.cluster.local");
  }
}
