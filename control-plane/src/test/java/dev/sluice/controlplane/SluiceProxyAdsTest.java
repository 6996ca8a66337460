package dev.sluice.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.testing.ConformanceFiles;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.proxy.ProxyOptions;
import dev.sluice.proxy.SluiceProxy;
import dev.sluice.registry.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * sluice-proxy driven by sluiced over ADS routes Bookinfo's {@code virtual-service-reviews-test-v2.yaml}:
 * jason reaches reviews v2, everyone else v1 (real loopback HTTP servers stand in for the two
 * versions). The proxy uses explicit capture ({@code HTTP_PROXY_PORT}), as on the local platform.
 */
@Timeout(60)
class SluiceProxyAdsTest {
  Sluiced cp;
  HttpServer reviewsV1;
  HttpServer reviewsV2;
  SluiceProxy proxy;

  static HttpServer upstream(String version) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    s.createContext("/", ex -> {
      byte[] b = ("reviews-" + version).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    });
    s.start();
    return s;
  }

  @BeforeEach
  void start() throws IOException {
    reviewsV1 = upstream("v1");
    reviewsV2 = upstream("v2");
    cp = Sluiced.start(Sluiced.Options.ephemeral());
    cp.registry().putService(TestMesh.service("reviews", 9080, Protocol.HTTP));
    cp.registry().putService(TestMesh.service("productpage", 9080, Protocol.HTTP));
    cp.registry().putInstance(TestMesh.loopback("reviews", "v1", "http", reviewsV1.getAddress().getPort()));
    cp.registry().putInstance(TestMesh.loopback("reviews", "v2", "http", reviewsV2.getAddress().getPort()));
    Path net = ConformanceFiles.root().resolve("istio-samples/bookinfo/networking");
    TestMesh.applyFile(cp, net.resolve("destination-rule-all.yaml"));
    TestMesh.applyFile(cp, net.resolve("virtual-service-reviews-test-v2.yaml"));
    //language=YAML
    String bootstrap = """
        node:
          id: sidecar~127.0.0.1~productpage-v1-0.default~default.svc.cluster.local
          cluster: productpage.default
          metadata: {NAMESPACE: default, HTTP_PROXY_PORT: "0", LABELS: {app: productpage, version: v1}}
        dynamic_resources:
          ads_config:
            api_type: GRPC
            transport_api_version: V3
            grpc_services: [{envoy_grpc: {cluster_name: xds-grpc}}]
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
        """.formatted(cp.xdsPort());
    proxy = SluiceProxy.start(ProxyOptions.ofYaml(bootstrap));
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (cp != null) {
      cp.close();
    }
    reviewsV1.stop(0);
    reviewsV2.stop(0);
  }

  /** A raw HTTP/1.1 GET through the proxy's HTTP-proxy listener, with the Host header the app would send. */
  String get(String host, String path, String extraHeaders) throws IOException {
    int port = proxy.listenerPort("127.0.0.1_0");
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String status = response.substring(9, 12);
      return status + " " + response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  /**
   * Without a platform, the proxy's advertised metrics endpoint (node metadata {@code
   * SLUICE_PROMETHEUS_URL}) is what {@code /debug/prometheus_sd} lists, with labels from its node.
   */
  @Test
  void prometheusSdListsAHandStartedProxy() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    URI sd = URI.create("http://127.0.0.1:" + cp.httpPort() + "/debug/prometheus_sd");
    String target = "127.0.0.1:" + proxy.adminPort();
    await().atMost(Duration.ofSeconds(20)).until(() -> client.send(HttpRequest.newBuilder(sd).build(),
        HttpResponse.BodyHandlers.ofString()).body().contains(target));
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        client.send(HttpRequest.newBuilder(sd).build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(json).hasSize(1);
    assertThat(json.get(0).get("targets").get(0).asText()).isEqualTo(target);
    var labels = json.get(0).get("labels");
    assertThat(labels.get("__metrics_path__").asText()).isEqualTo("/stats/prometheus");
    assertThat(labels.get("pod").asText()).isEqualTo("productpage-v1-0");
    assertThat(labels.get("namespace").asText()).isEqualTo("default");
    assertThat(labels.get("app").asText()).isEqualTo("productpage");
    // The advertised endpoint serves the proxy's metrics.
    assertThat(client.send(HttpRequest.newBuilder(cp.scrapeTargets().getFirst().url()).build(),
        HttpResponse.BodyHandlers.ofString()).body()).contains("# TYPE");
    // Gone with its stream.
    proxy.close();
    proxy = null;
    await().atMost(Duration.ofSeconds(20)).until(() -> cp.scrapeTargets().isEmpty());
  }

  @Test
  void jasonReachesReviewsV2AndEveryoneElseV1() throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> proxy.isReady() && proxy.listenerPort("127.0.0.1_0") > 0);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> get("reviews:9080", "/reviews/0", "").equals("200 reviews-v1"));
    for (int i = 0; i < 20; i++) {
      assertThat(get("reviews:9080", "/reviews/0", "end-user: jason\r\n")).isEqualTo("200 reviews-v2");
      assertThat(get("reviews:9080", "/reviews/0", "end-user: mallory\r\n")).isEqualTo("200 reviews-v1");
      assertThat(get("reviews:9080", "/reviews/0", "")).isEqualTo("200 reviews-v1");
    }
    assertThat(get("ratings:9080", "/", "")).startsWith("404");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cp.xds().proxyStatus())
        .singleElement().satisfies(s -> assertThat(s.status().values()).containsOnly("SYNCED")));
  }

  @Test
  void aRuleChangeAndAnEndpointChangeReachTheProxy() throws Exception {
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> get("reviews:9080", "/reviews/0", "").equals("200 reviews-v1"));
    Path net = ConformanceFiles.root().resolve("istio-samples/bookinfo/networking");
    TestMesh.applyFile(cp, net.resolve("virtual-service-reviews-v3.yaml"));
    // v3 has no instance yet: Envoy answers 503 (no healthy upstream) until one appears.
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> get("reviews:9080", "/reviews/0", "").startsWith("503"));
    HttpServer v3 = upstream("v3");
    try {
      long eds = cp.xds().metrics().edsPushes();
      cp.registry().putInstance(TestMesh.loopback("reviews", "v3", "http", v3.getAddress().getPort()));
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .until(() -> get("reviews:9080", "/reviews/0", "").equals("200 reviews-v3"));
      assertThat(cp.xds().metrics().edsPushes()).isGreaterThan(eds);
    } finally {
      v3.stop(0);
    }
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + cp.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).contains("pilot_xds_pushes{type=\"eds\"}", "pilot_proxy_convergence_time_bucket",
        "pilot_xds_push_time_bucket");
  }
}
