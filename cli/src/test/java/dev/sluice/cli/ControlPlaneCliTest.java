package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.testing.ConformanceFiles;
import dev.sluice.controlplane.Sluiced;
import dev.sluice.proxy.ProxyOptions;
import dev.sluice.proxy.SluiceProxy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * sluiced from a watched directory (what {@code sluice control-plane --config DIR} runs), a real
 * sluice-proxy connected over ADS, and {@code proxy-status} / {@code proxy-config} against them,
 * with istioctl's column headers.
 */
@Timeout(60)
class ControlPlaneCliTest {
  @TempDir
  Path dir;
  Sluiced cp;
  SluiceProxy proxy;
  String url;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void start() throws Exception {
    Path shared = ConformanceFiles.root().resolve("istio-samples/bookinfo");
    Files.copy(shared.resolve("platform/kube/bookinfo.yaml"), dir.resolve("bookinfo.yaml"));
    Files.copy(shared.resolve("networking/destination-rule-all.yaml"), dir.resolve("destination-rule-all.yaml"));
    Files.copy(shared.resolve("networking/virtual-service-reviews-test-v2.yaml"), dir.resolve("vs.yaml"));
    cp = Sluiced.start(Sluiced.Options.ephemeral().withConfigDir(dir));
    url = "http://127.0.0.1:" + cp.httpPort();
    //language=YAML
    proxy = SluiceProxy.start(ProxyOptions.ofYaml("""
        node:
          id: sidecar~10.244.0.99~productpage-v1-0.default~default.svc.cluster.local
          cluster: productpage.default
          metadata: {NAMESPACE: default, HTTP_PROXY_PORT: "0", LABELS: {app: productpage, version: v1}}
        dynamic_resources:
          ads_config: {api_type: GRPC, transport_api_version: V3, grpc_services: [{envoy_grpc: {cluster_name: xds-grpc}}]}
          cds_config: {ads: {}, resource_api_version: V3}
          lds_config: {ads: {}, resource_api_version: V3}
        static_resources:
          clusters:
          - name: xds-grpc
            type: STATIC
            connect_timeout: 1s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: {http2_protocol_options: {}}
            load_assignment: {cluster_name: xds-grpc, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]}
        """.formatted(cp.xdsPort())));
    await().atMost(Duration.ofSeconds(20)).until(() -> run("proxy-status", "--control-plane", url).out()
        .contains("SYNCED") && !run("proxy-status", "--control-plane", url).out().contains("STALE"));
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (cp != null) {
      cp.close();
    }
  }

  @Test
  void proxyStatusHasIstioctlColumns() {
    Run r = run("proxy-status", "--control-plane", url);
    assertThat(r.code()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines[0].split("\\s+")).containsExactly("NAME", "CLUSTER", "CDS", "LDS", "EDS", "RDS", "ECDS",
        "ISTIOD", "VERSION");
    assertThat(lines[1]).startsWith("productpage-v1-0.default").contains("productpage.default", "SYNCED (");
  }

  @Test
  void proxyConfigTables() {
    Run clusters = run("proxy-config", "cluster", "productpage-v1", "--control-plane", url);
    assertThat(clusters.out().lines().findFirst().orElseThrow())
        .matches("SERVICE FQDN\\s+PORT\\s+SUBSET\\s+DIRECTION\\s+TYPE\\s+DESTINATION RULE");
    assertThat(clusters.out()).containsPattern(
        "reviews.default.svc.cluster.local\\s+9080\\s+v2\\s+outbound\\s+EDS\\s+reviews.default");
    Run routes = run("pc", "route", "productpage-v1-0.default", "--control-plane", url);
    assertThat(routes.out().lines().findFirst().orElseThrow())
        .matches("NAME\\s+VHOST NAME\\s+DOMAINS\\s+MATCH\\s+VIRTUAL SERVICE");
    assertThat(routes.out()).containsPattern("http_proxy\\s+reviews.default.svc.cluster.local:9080\\s+.*reviews.default");
    Run endpoints = run("proxy-config", "endpoint", "productpage-v1", "--control-plane", url);
    assertThat(endpoints.out().lines().findFirst().orElseThrow()).matches("ENDPOINT\\s+STATUS\\s+OUTLIER CHECK\\s+CLUSTER");
    assertThat(endpoints.out()).containsPattern("10\\.244\\.\\d+\\.\\d+:9080\\s+HEALTHY\\s+OK\\s+outbound\\|9080\\|v2\\|reviews");
    Run listeners = run("proxy-config", "listener", "productpage-v1", "--control-plane", url);
    assertThat(listeners.out().lines().findFirst().orElseThrow()).matches("ADDRESSES\\s+PORT\\s+MATCH\\s+DESTINATION");
    assertThat(listeners.out()).containsPattern("127.0.0.1\\s+0\\s+ALL\\s+Route: http_proxy");
    assertThat(run("proxy-config", "cluster", "productpage-v1", "-o", "json", "--control-plane", url).out())
        .contains("\"dynamic_active_clusters\"");
    assertThat(run("proxy-config", "cluster", "productpage-v1", "-o", "yaml", "--control-plane", url).out())
        .contains("dynamic_active_clusters:");
    assertThat(run("proxy-config", "secret", "productpage-v1", "--control-plane", url).code()).isEqualTo(64);
  }

  @Test
  void aFileChangeInTheWatchedDirectoryReachesTheProxy() throws Exception {
    Path v3 = ConformanceFiles.root().resolve("istio-samples/bookinfo/networking/virtual-service-reviews-v3.yaml");
    Files.copy(v3, dir.resolve("vs.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(run("proxy-config", "route", "productpage-v1", "-o", "json", "--control-plane", url).out())
            .contains("outbound|9080|v3|reviews.default.svc.cluster.local")
            .doesNotContain("outbound|9080|v2|reviews.default.svc.cluster.local"));
  }

  @Test
  void controlPlaneRejectsAMissingDirectory() {
    assertThat(run("control-plane", "--config", dir.resolve("nope").toString()).code()).isEqualTo(64);
  }
}
