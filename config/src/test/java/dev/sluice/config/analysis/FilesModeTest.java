package dev.sluice.config.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.ConfigSources;
import dev.sluice.testing.ConformanceFiles;
import dev.sluice.config.LoadResult;
import dev.sluice.config.Resource;
import dev.sluice.config.validation.Level;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sluice analyze FILES}: Istio's samples, and the ingress port checks the tutorials hit. */
class FilesModeTest {
  static List<Resource> load(String ns, Path... paths) {
    LoadResult r = new ConfigSources().load(java.util.Arrays.stream(paths).map(Path::toString).toList(), false,
        new ByteArrayInputStream(new byte[0]));
    assertThat(r.problems()).isEmpty();
    return r.resources().stream().map(x -> x.withDefaultNamespace(ns)).toList();
  }

  static List<Resource> yaml(String ns, String text) {
    LoadResult r = new ConfigLoader().load("test.yaml", new StringReader(text));
    assertThat(r.problems()).isEmpty();
    return r.resources().stream().map(x -> x.withDefaultNamespace(ns)).toList();
  }

  static List<String> codes(List<AnalysisMessage> messages) {
    return messages.stream().map(m -> m.type().code() + " " + m.resource()).toList();
  }

  /**
   * Bookinfo's platform file with every networking file, loaded together as
   * {@code sluice analyze bookinfo.yaml networking/} does: same-named objects of later files replace
   * earlier ones (as in istioctl), so no two VirtualServices share a host (no IST0109). What remains:
   * <ul>
   *   <li>IST0101 {@code details+v2}: {@code fault-injection-details-v1.yaml} redefines DestinationRule
   *       {@code details} with subset v1 only, and the last VirtualService {@code details}
   *       ({@code virtual-service-details-v2.yaml}) routes to v2 (istioctl reports this in file mode too);
   *   <li>IST0129: the googleapis DestinationRule originates TLS without caCertificates (istioctl too);
   *   <li>with the platform's Services and Deployments supplied (which istioctl's file mode cannot
   *       use, so it skips these analyzers; against a cluster running this it reports them):
   *       IST0101 {@code cert-manager-resolver} (cert-manager is not part of Bookinfo), IST0173 for
   *       the ratings subsets {@code v2-mysql} and {@code v2-mysql-vm} (no such Deployments in
   *       bookinfo.yaml), and IST0140 (the gateway route to productpage bypasses the v1 subset).
   * </ul>
   */
  @Test
  void bookinfoPlatformAndNetworking() {
    Path bookinfo = ConformanceFiles.root().resolve("istio-samples/bookinfo");
    AnalysisResult r = Analysis.run(AnalysisInput.files(load("default",
        bookinfo.resolve("platform/kube/bookinfo.yaml"), bookinfo.resolve("networking"))));
    assertThat(r.messages()).extracting(AnalysisMessage::text).contains(
        "Referenced host+subset in destinationrule not found: \"details+v2\"",
        "Referenced host not found: \"cert-manager-resolver\"",
        "Subset in virtual service default/productpage has no effect on ingress gateway default/bookinfo requests");
    assertThat(codes(r.messages())).containsExactlyInAnyOrder(
        "IST0101 VirtualService default/details",
        "IST0101 VirtualService istio-system/cert-manager",
        "IST0173 DestinationRule default/ratings",
        "IST0173 DestinationRule default/ratings",
        "IST0129 DestinationRule default/originate-tls-for-googleapis",
        "IST0140 VirtualService default/bookinfo");
    assertThat(r.skipped()).extracting(AnalysisResult.SkippedAnalyzer::analyzer)
        .containsExactlyInAnyOrder("auth.AuthorizationPoliciesAnalyzer", "gateway.SecretAnalyzer");
  }

  /** The networking directory alone: host checks are skipped (no Services), so no false "host not found". */
  @Test
  void bookinfoNetworkingAlone() {
    Path bookinfo = ConformanceFiles.root().resolve("istio-samples/bookinfo");
    AnalysisResult r = Analysis.run(AnalysisInput.files(load("default", bookinfo.resolve("networking"))));
    assertThat(r.messages()).noneMatch(m -> m.text().startsWith("Referenced host not found"));
    assertThat(codes(r.messages())).containsExactlyInAnyOrder(
        "IST0101 VirtualService default/details",
        "IST0129 DestinationRule default/originate-tls-for-googleapis");
    assertThat(r.skipped()).extracting(AnalysisResult.SkippedAnalyzer::analyzer).contains(
        "virtualservice.DestinationHostAnalyzer", "gateway.IngressGatewayPortAnalyzer",
        "destinationrule.SubsetSelectPodAnalyzer", "sidecar.SelectorAnalyzer", "service.PortNameAnalyzer");
  }

  @Test
  void eachBookinfoNetworkingFileWithThePlatformHasNoErrorBeyondItsOwnReferences() {
    Path bookinfo = ConformanceFiles.root().resolve("istio-samples/bookinfo");
    for (Path f : ConfigSources.filesIn(bookinfo.resolve("networking"), false)) {
      if (f.getFileName().toString().startsWith("certmanager")) {
        continue; // routes to cert-manager, which Bookinfo does not deploy
      }
      List<AnalysisMessage> found = Analysis.analyze(AnalysisInput.files(load("default",
          bookinfo.resolve("platform/kube/bookinfo.yaml"), bookinfo.resolve("networking/destination-rule-all.yaml"),
          f)));
      assertThat(found).as(f.toString()).noneMatch(m -> m.type().level() == Level.ERROR
          && !m.text().contains("v2-mysql"));
    }
  }

  private static final String GATEWAY = """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata:
        name: tutorial-gateway
      spec:
        selector:
          istio: %s
        servers:
        - port:
            number: %d
            name: http
            protocol: HTTP
          hosts:
          - "*"
      """;

  /** The Service and Deployment that Istio's Helm {@code gateway} chart installs as {@code istio-ingress}. */
  private static final String HELM_INGRESS = """
      apiVersion: v1
      kind: Service
      metadata:
        name: istio-ingress
        namespace: istio-ingress
        labels: {app: istio-ingress, istio: ingress}
      spec:
        type: LoadBalancer
        selector: {app: istio-ingress, istio: ingress}
        ports:
        - {name: status-port, port: 15021, targetPort: 15021, protocol: TCP}
        - {name: http2, port: 80, targetPort: 80, protocol: TCP}
        - {name: https, port: 443, targetPort: 443, protocol: TCP}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: istio-ingress
        namespace: istio-ingress
      spec:
        selector:
          matchLabels: {app: istio-ingress, istio: ingress}
        template:
          metadata:
            labels: {app: istio-ingress, istio: ingress, sidecar.istio.io/inject: "true"}
          spec:
            containers:
            - name: istio-proxy
              image: auto
      """;

  @Test
  void gatewayOn8080BehindHelmIngressServiceExposingOnly80And443() {
    List<Resource> in = new java.util.ArrayList<>(yaml("default", HELM_INGRESS));
    in.addAll(yaml("default", GATEWAY.formatted("ingress", 8080)));
    List<AnalysisMessage> found = Analysis.analyze(AnalysisInput.files(in));
    assertThat(codes(found)).containsExactly("IST0162 Gateway default/tutorial-gateway");
    assertThat(found.getFirst().logLine()).isEqualTo("Warning [IST0162] (Gateway default/tutorial-gateway test.yaml:7)"
        + " The gateway is listening on a target port (port 8080) that is not defined in the Service associated with"
        + " its workload instances (Pod selector istio=ingress). If you need to access the gateway port through the"
        + " gateway Service, it will not be available.");
    in = new java.util.ArrayList<>(yaml("default", HELM_INGRESS));
    in.addAll(yaml("default", GATEWAY.formatted("ingress", 80)));
    assertThat(Analysis.analyze(AnalysisInput.files(in))).isEmpty();
  }

  @Test
  void gatewayOn8080BehindIstiosDefaultIngressGatewayPasses() {
    Path bookinfo = ConformanceFiles.root().resolve("istio-samples/bookinfo");
    List<Resource> platform = load("default", bookinfo.resolve("platform/kube/bookinfo.yaml"));
    List<Resource> in = new java.util.ArrayList<>(platform);
    in.addAll(load("default", bookinfo.resolve("networking/bookinfo-gateway.yaml")));
    AnalysisResult ok = Analysis.run(AnalysisInput.files(in));
    assertThat(ok.skipped()).extracting(AnalysisResult.SkippedAnalyzer::analyzer)
        .doesNotContain("gateway.IngressGatewayPortAnalyzer");
    assertThat(codes(ok.messages())).doesNotContain("IST0162 Gateway default/bookinfo-gateway");

    in = new java.util.ArrayList<>(platform);
    in.addAll(yaml("default", GATEWAY.formatted("ingressgateway", 9999)));
    assertThat(codes(Analysis.analyze(AnalysisInput.files(in)))).contains("IST0162 Gateway default/tutorial-gateway");
  }
}
