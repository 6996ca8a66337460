package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Istio's telemetry through two chained proxies on loopback, as two sidecars: client → A
 * (productpage-v1's sidecar, OUTBOUND listener, reporter=source) → B (reviews-v2's sidecar, INBOUND
 * listener, reporter=destination) → app. Peer metadata fills both sides' labels; spans reach an
 * in-test Zipkin collector with parent/child links; TCP metrics come from A's TCP listener.
 */
@Timeout(60)
class TelemetryProxyTest {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final ObjectMapper JSON = new ObjectMapper();
  static EchoUpstream app;
  static HttpServer zipkin;
  static final List<JsonNode> spans = new CopyOnWriteArrayList<>();
  static SluiceProxy a;
  static SluiceProxy b;

  static String node(String id, String cluster, String name, String workload, String app, String version,
      String sa) {
    return """
        node:
          id: %s
          cluster: %s
          metadata:
            NAME: %s
            NAMESPACE: default
            WORKLOAD_NAME: %s
            CLUSTER_ID: Kubernetes
            MESH_ID: cluster.local
            SERVICE_ACCOUNT: %s
            OWNER: kubernetes://apis/apps/v1/namespaces/default/deployments/%s
            LABELS: {app: %s, version: %s, service.istio.io/canonical-name: %s, service.istio.io/canonical-revision: %s}
        """.formatted(id, cluster, name, workload, sa, workload, app, version, app, version);
  }

  static String hcm(String statPrefix, double sampling, String cluster, String statsConfig) {
    return """
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: %s
                  tracing:
                    random_sampling: {value: %s}
                    provider:
                      name: envoy.tracers.zipkin
                      typed_config: {"@type": type.googleapis.com/envoy.config.trace.v3.ZipkinConfig, collector_cluster: zipkin, collector_endpoint: /api/v2/spans, collector_endpoint_version: HTTP_JSON}
                  http_filters:
                  - name: istio.metadata_exchange
                    typed_config: {"@type": type.googleapis.com/udpa.type.v1.TypedStruct, type_url: type.googleapis.com/io.istio.http.peer_metadata.Config, value: {}}
                  - name: istio.stats
                    typed_config: %s
                  - name: envoy.filters.http.router
                    typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
                  route_config:
                    virtual_hosts: [{name: all, domains: ["*"], routes: [{match: {prefix: /}, route: {cluster: "%s"}}]}]
        """.formatted(statPrefix, sampling, statsConfig, cluster);
  }

  static String cluster(String name, int port) {
    return """
          - name: "%s"
            connect_timeout: 1s
            load_assignment: {cluster_name: "%s", endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]}
        """.formatted(name, name, port);
  }

  @BeforeAll
  static void start() throws Exception {
    app = new EchoUpstream("reviews");
    zipkin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    zipkin.createContext("/api/v2/spans", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        for (JsonNode s : JSON.readTree(in)) {
          spans.add(s);
        }
      }
      ex.sendResponseHeaders(202, -1);
      ex.close();
    });
    zipkin.start();
    int zipkinPort = zipkin.getAddress().getPort();
    String bYaml = node("sidecar~10.0.0.2~reviews-v2-5b64.default~default.svc.cluster.local", "reviews.default",
        "reviews-v2-5b64", "reviews-v2", "reviews", "v2", "bookinfo-reviews") + """
        static_resources:
          listeners:
          - name: inbound
            traffic_direction: INBOUND
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
        """ + hcm("inbound_0.0.0.0_9080", 100, "inbound|9080||",
        "{\"@type\": type.googleapis.com/udpa.type.v1.TypedStruct, type_url: type.googleapis.com/stats.PluginConfig, value: {}}")
        // istiod's services metadata on the inbound cluster names the destination service.
        + "  clusters:\n" + cluster("inbound|9080||", app.port())
        + "    metadata: {filter_metadata: {istio: {services: [{host: reviews.default.svc.cluster.local, name: reviews, namespace: default}]}}}\n"
        + cluster("zipkin", zipkinPort);
    b = SluiceProxy.start(ProxyOptions.ofYaml(bYaml));
    String aYaml = node("sidecar~10.0.0.1~productpage-v1-6c8f.default~default.svc.cluster.local", "productpage.default",
        "productpage-v1-6c8f", "productpage-v1", "productpage", "v1", "bookinfo-productpage") + """
        static_resources:
          listeners:
          - name: outbound
            traffic_direction: OUTBOUND
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
        """ + hcm("outbound_0.0.0.0_9080", 100, "outbound|9080||reviews.default.svc.cluster.local",
        "{\"@type\": type.googleapis.com/google.protobuf.Struct, value: {}}") + """
          - name: unsampled
            traffic_direction: OUTBOUND
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
        """ + hcm("unsampled", 0, "outbound|9080||reviews.default.svc.cluster.local",
        "{\"@type\": type.googleapis.com/google.protobuf.Struct, value: {reporter: source}}") + """
          - name: tcp
            traffic_direction: OUTBOUND
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: istio.stats
                typed_config: {"@type": type.googleapis.com/udpa.type.v1.TypedStruct, type_url: type.googleapis.com/stats.PluginConfig, value: {}}
              - name: envoy.filters.network.tcp_proxy
                typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: tcp, cluster: "outbound|9000||tcp-echo.default.svc.cluster.local"}
          clusters:
        """ + cluster("outbound|9080||reviews.default.svc.cluster.local", b.listenerPort("inbound"))
        + cluster("outbound|9000||tcp-echo.default.svc.cluster.local", app.port()) + cluster("zipkin", zipkinPort);
    a = SluiceProxy.start(ProxyOptions.ofYaml(aYaml).withPrometheusPort(0));
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
    zipkin.stop(0);
    app.close();
  }

  /** A raw HTTP/1.1 response: status, head (lower-cased) and body. */
  record Resp(int statusCode, String head, String body) {}

  /** GET with {@code Host: reviews:9080} (the JDK client refuses to set Host). */
  static Resp get(int port, String path, Map<String, String> headers) throws Exception {
    StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: reviews:9080\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    String raw = RawHttp.exchange(port, req.append("\r\n").toString());
    int end = raw.indexOf("\r\n\r\n");
    return new Resp(Integer.parseInt(raw.substring(9, 12)), raw.substring(0, end).toLowerCase(), raw.substring(end + 4));
  }

  static String scrape(int port) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Label maps (in order) of the series of {@code metric} (exact name) in a scrape. */
  static List<LinkedHashMap<String, String>> series(String scrape, String metric) {
    List<LinkedHashMap<String, String>> out = new ArrayList<>();
    Pattern label = Pattern.compile("([a-z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    for (String line : scrape.split("\n")) {
      if (line.startsWith(metric + "{")) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        Matcher mt = label.matcher(line.substring(metric.length() + 1, line.lastIndexOf('}')));
        while (mt.find()) {
          m.put(mt.group(1), mt.group(2));
        }
        m.put("__value", line.substring(line.lastIndexOf(' ') + 1));
        out.add(m);
      }
    }
    return out;
  }

  static List<String> referenceLabels(String kind) throws IOException {
    try (InputStream in = TelemetryProxyTest.class.getResourceAsStream("/metric-labels.txt")) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      List<String> http = List.of(lines.get(lines.indexOf(lines.stream().filter(l -> l.startsWith("# HTTP metrics")).findFirst().orElseThrow()) + 1).split(" "));
      if (kind.equals("http")) {
        return http;
      }
      return http.stream().filter(l -> !l.equals("response_code") && !l.equals("grpc_response_status")).toList();
    }
  }

  @Test
  void sourceAndDestinationReportersWithPeerMetadata() throws Exception {
    Resp r = get(a.listenerPort("outbound"), "/reviews/0", Map.of());
    assertThat(r.statusCode()).isEqualTo(200);
    // The exchange headers never reach the app, nor the client.
    assertThat(r.body()).doesNotContain("x-envoy-peer-metadata");
    assertThat(r.head()).doesNotContain("x-envoy-peer-metadata");

    var src = series(scrape(a.adminPort()), "istio_requests_total").stream()
        .filter(m -> m.get("reporter").equals("source") && m.get("response_code").equals("200")).findFirst().orElseThrow();
    assertThat(src).containsEntry("source_workload", "productpage-v1")
        .containsEntry("source_canonical_service", "productpage")
        .containsEntry("source_canonical_revision", "v1")
        .containsEntry("source_workload_namespace", "default")
        .containsEntry("source_app", "productpage")
        .containsEntry("source_version", "v1")
        .containsEntry("source_cluster", "Kubernetes")
        .containsEntry("destination_workload", "reviews-v2")
        .containsEntry("destination_workload_namespace", "default")
        .containsEntry("destination_app", "reviews")
        .containsEntry("destination_version", "v2")
        .containsEntry("destination_service", "reviews.default.svc.cluster.local")
        .containsEntry("destination_canonical_service", "reviews")
        .containsEntry("destination_canonical_revision", "v2")
        .containsEntry("destination_service_name", "reviews")
        .containsEntry("destination_service_namespace", "default")
        .containsEntry("destination_cluster", "Kubernetes")
        .containsEntry("request_protocol", "http")
        .containsEntry("grpc_response_status", "")
        .containsEntry("response_flags", "-")
        .containsEntry("source_principal", "unknown")
        .containsEntry("connection_security_policy", "unknown");

    var dst = series(scrape(b.adminPort()), "istio_requests_total").stream()
        .filter(m -> m.get("reporter").equals("destination")).findFirst().orElseThrow();
    assertThat(dst).containsEntry("source_workload", "productpage-v1")
        .containsEntry("source_app", "productpage")
        .containsEntry("source_version", "v1")
        .containsEntry("destination_workload", "reviews-v2")
        .containsEntry("destination_version", "v2")
        .containsEntry("destination_service", "reviews.default.svc.cluster.local")
        .containsEntry("destination_service_name", "reviews")
        .containsEntry("destination_service_namespace", "default")
        .containsEntry("response_code", "200")
        .containsEntry("connection_security_policy", "none");
  }

  @Test
  void everyIstioSeriesHasTheReferenceLabelsInOrder() throws Exception {
    assertThat(get(a.listenerPort("outbound"), "/labels", Map.of()).statusCode()).isEqualTo(200);
    assertThat(get(a.listenerPort("outbound"), "/status/503", Map.of()).statusCode()).isEqualTo(503);
    try (Socket s = new Socket("127.0.0.1", a.listenerPort("tcp"))) {
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getInputStream().readAllBytes();
    }
    List<String> http = referenceLabels("http");
    List<String> tcp = referenceLabels("tcp");
    assertThat(http).hasSize(25).startsWith("reporter", "source_workload").endsWith("connection_security_policy");
    for (int port : new int[] {a.adminPort(), b.adminPort(), a.prometheusPort()}) {
      String text = scrape(port);
      int checked = 0;
      for (String line : text.split("\n")) {
        if (!line.startsWith("istio_")) {
          continue;
        }
        String name = line.substring(0, line.indexOf('{'));
        List<String> names = new ArrayList<>(series(line, name).getFirst().keySet());
        names.remove("__value");
        if (name.endsWith("_bucket")) {
          assertThat(names.removeLast()).isEqualTo("le");
        }
        assertThat(names).as(line).isEqualTo(name.startsWith("istio_tcp_") ? tcp : http);
        assertThat(series(line, name).getFirst().values()).as(line).doesNotContain((String) null);
        checked++;
      }
      assertThat(checked).as("istio series on port " + port).isGreaterThan(0);
    }
  }

  @Test
  void histogramsUseEnvoysDefaultBuckets() throws Exception {
    get(a.listenerPort("outbound"), "/hist", Map.of());
    String text = scrape(a.adminPort());
    for (String h : List.of("istio_request_duration_milliseconds", "istio_request_bytes", "istio_response_bytes")) {
      assertThat(text).contains("# TYPE " + h + " histogram");
      var buckets = series(text, h + "_bucket");
      var first = buckets.getFirst();
      List<String> les = buckets.stream().filter(m -> sameSeries(m, first)).map(m -> m.get("le")).toList();
      assertThat(les).containsExactly("0.5", "1", "5", "10", "25", "50", "100", "250", "500", "1000", "2500", "5000",
          "10000", "30000", "60000", "300000", "600000", "1.8e+06", "3.6e+06", "+Inf");
      long inf = Long.parseLong(buckets.stream().filter(m -> sameSeries(m, first) && m.get("le").equals("+Inf"))
          .findFirst().orElseThrow().get("__value"));
      long count = Long.parseLong(series(text, h + "_count").stream().filter(m -> sameSeries(m, first))
          .findFirst().orElseThrow().get("__value"));
      assertThat(inf).isEqualTo(count).isPositive();
    }
  }

  private static boolean sameSeries(Map<String, String> m, Map<String, String> first) {
    for (var e : first.entrySet()) {
      if (!e.getKey().equals("le") && !e.getKey().equals("__value") && !e.getValue().equals(m.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void tcpMetrics() throws Exception {
    try (Socket s = new Socket("127.0.0.1", a.listenerPort("tcp"))) {
      s.getOutputStream().write("GET /tcp HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      String text = scrape(a.adminPort());
      var opened = series(text, "istio_tcp_connections_opened_total").getFirst();
      assertThat(opened).containsEntry("reporter", "source").containsEntry("source_workload", "productpage-v1")
          .containsEntry("destination_service", "tcp-echo.default.svc.cluster.local")
          .containsEntry("request_protocol", "tcp").containsEntry("destination_workload", "unknown");
      assertThat(Long.parseLong(opened.get("__value"))).isPositive();
      assertThat(series(text, "istio_tcp_connections_closed_total").getFirst().get("__value"))
          .isEqualTo(opened.get("__value"));
      assertThat(Long.parseLong(series(text, "istio_tcp_received_bytes_total").getFirst().get("__value"))).isGreaterThan(40);
      assertThat(Long.parseLong(series(text, "istio_tcp_sent_bytes_total").getFirst().get("__value"))).isGreaterThan(100);
    });
  }

  @Test
  void prometheusListenerServesOnlyStats() throws Exception {
    assertThat(a.prometheusPort()).isPositive();
    assertThat(scrape(a.prometheusPort())).contains("envoy_cluster_upstream_rq_total");
    var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.prometheusPort() + "/config_dump")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(b.prometheusPort()).isEqualTo(-1);
  }

  private static List<JsonNode> trace(String traceId) throws Exception {
    a.awaitReady(1000);
    List<JsonNode> found = new ArrayList<>();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      found.clear();
      spans.stream().filter(s -> s.get("traceId").asText().endsWith(traceId)).forEach(found::add);
      return found.size() >= 2;
    });
    return found;
  }

  private static JsonNode kind(List<JsonNode> spans, String kind) {
    return spans.stream().filter(s -> s.get("kind").asText().equals(kind)).findFirst().orElseThrow();
  }

  @Test
  void clientAndServerSpansLinkedFromB3() throws Exception {
    String traceId = "463ac35c9f6413ad48485a3953bb6124";
    String parent = "a2fb4a1d1a96d312";
    Resp r = get(a.listenerPort("outbound"), "/b3", Map.of("x-b3-traceid", traceId,
        "x-b3-spanid", parent, "x-b3-sampled", "1", "x-request-id", "rid-b3"));
    assertThat(r.statusCode()).isEqualTo(200);
    List<JsonNode> t = trace(traceId);
    JsonNode client = kind(t, "CLIENT");
    JsonNode server = kind(t, "SERVER");
    assertThat(client.get("parentId").asText()).isEqualTo(parent);
    assertThat(server.get("parentId").asText()).isEqualTo(client.get("id").asText());
    assertThat(client.get("localEndpoint").get("serviceName").asText()).isEqualTo("productpage.default");
    assertThat(server.get("localEndpoint").get("serviceName").asText()).isEqualTo("reviews.default");
    assertThat(client.get("name").asText()).isEqualTo("reviews.default.svc.cluster.local:9080/*");
    assertThat(server.get("tags").get("guid:x-request-id").asText()).isEqualTo("rid-b3");
    assertThat(server.get("tags").get("http.status_code").asText()).isEqualTo("200");
    // The app sees the server span as its parent, in B3 and W3C.
    assertThat(r.body()).contains("x-b3-traceid: " + traceId, "x-b3-spanid: " + server.get("id").asText(),
        "x-b3-parentspanid: " + client.get("id").asText(), "x-b3-sampled: 1",
        "traceparent: 00-" + traceId + "-" + server.get("id").asText() + "-01");
  }

  @Test
  void w3cTraceparentAndSingleB3Propagate() throws Exception {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    Resp r = get(a.listenerPort("outbound"), "/w3c", Map.of(
        "traceparent", "00-" + traceId + "-b7ad6b7169203331-01", "tracestate", "congo=t61rcWkgMzE"));
    List<JsonNode> t = trace(traceId);
    assertThat(kind(t, "CLIENT").get("parentId").asText()).isEqualTo("b7ad6b7169203331");
    assertThat(r.body()).contains("tracestate: congo=t61rcWkgMzE",
        "traceparent: 00-" + traceId + "-" + kind(t, "SERVER").get("id").asText() + "-01");

    String single = "80f198ee56343ba864fe8b2a57d3eff7";
    Resp r2 = get(a.listenerPort("outbound"), "/single", Map.of(
        "b3", single + "-e457b5a2e4d86bd1-1"));
    List<JsonNode> t2 = trace(single);
    assertThat(kind(t2, "CLIENT").get("parentId").asText()).isEqualTo("e457b5a2e4d86bd1");
    assertThat(r2.body()).contains("b3: " + single + "-" + kind(t2, "SERVER").get("id").asText() + "-1-"
        + kind(t2, "CLIENT").get("id").asText());
  }

  @Test
  void samplingZeroExportsNothingButPropagates() throws Exception {
    // A's "unsampled" listener samples 0 %; B samples 100 % but follows the incoming decision.
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      bodies.add(get(a.listenerPort("unsampled"), "/zero/" + i, Map.of()).body());
    }
    // A forced decision still wins over 0 %.
    String forced = "5af7183fb1d4cf5f";
    get(a.listenerPort("unsampled"), "/forced", Map.of("x-b3-traceid", forced, "x-b3-spanid", "6b221d5bc9e6496c",
        "x-b3-sampled", "1"));
    trace(forced);
    List<String> zeroTraceIds = bodies.stream().map(b -> {
      Matcher m = Pattern.compile("x-b3-traceid: ([0-9a-f]+)").matcher(b);
      assertThat(m.find()).as(b).isTrue();
      assertThat(b).contains("x-b3-sampled: 0");
      return m.group(1);
    }).toList();
    assertThat(spans).noneMatch(s -> zeroTraceIds.contains(s.get("traceId").asText()));
  }
}
