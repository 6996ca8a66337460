package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The proxy driven by a static bootstrap, against real loopback upstreams. */
@Timeout(60)
class StaticProxyTest {
  static EchoUpstream a;
  static EchoUpstream b;
  static SluiceProxy proxy;
  static int port;
  static int tcpPort;
  static Path accessLog;

  @BeforeAll
  static void start() throws Exception {
    a = new EchoUpstream("a");
    b = new EchoUpstream("b");
    accessLog = Files.createTempFile("sluice-access", ".log");
    //language=YAML
    String yaml = """
        node: {id: test-node, cluster: test}
        static_resources:
          listeners:
          - name: http
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress
                  server_name: istio-envoy
                  upgrade_configs: [{upgrade_type: websocket}]
                  access_log:
                  - name: envoy.access_loggers.file
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                      path: %s
                      log_format:
                        json_format: {code: "%%RESPONSE_CODE%%", flags: "%%RESPONSE_FLAGS%%", path: "%%REQ(:PATH)%%", upstream: "%%UPSTREAM_HOST%%"}
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
                  route_config:
                    name: local
                    response_headers_to_add: [{header: {key: x-table, value: t}}]
                    virtual_hosts:
                    - name: main
                      domains: ["example.com", "example.com:*"]
                      response_headers_to_add: [{header: {key: x-vhost, value: main}}]
                      routes:
                      - name: jason
                        match: {prefix: /, headers: [{name: x-user, string_match: {exact: jason}}]}
                        route: {cluster: b}
                      - match: {prefix: /split}
                        route: {weighted_clusters: {clusters: [{name: a, weight: 80}, {name: b, weight: 20}]}}
                      - match: {prefix: /rewrite/}
                        route: {cluster: a, prefix_rewrite: /new/, host_rewrite_literal: rewritten.local}
                      - match: {path: /redirect}
                        redirect: {host_redirect: other.example.com, path_redirect: /there}
                      - match: {path: /direct}
                        direct_response: {status: 200, body: {inline_string: "hello direct"}}
                      - match: {prefix: /nocluster}
                        route: {cluster: missing}
                      - match: {prefix: /empty}
                        route: {cluster: empty}
                      - match: {prefix: /dead}
                        route: {cluster: dead}
                      - match: {prefix: /hdrs}
                        route: {cluster: a}
                        request_headers_to_add:
                        - {header: {key: x-added, value: one}}
                        - {header: {key: x-over, value: new}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}
                        request_headers_to_remove: [x-secret]
                        response_headers_to_add: [{header: {key: x-route, value: r}}]
                        response_headers_to_remove: [x-upstream]
                      - match: {prefix: /}
                        route: {cluster: a}
          - name: tcp
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: tcp
                  cluster: b
          clusters:
          - name: a
            type: STATIC
            connect_timeout: 1s
            load_assignment: {cluster_name: a, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]}
          - name: b
            type: STATIC
            connect_timeout: 1s
            lb_policy: LEAST_REQUEST
            load_assignment: {cluster_name: b, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]}
          - name: empty
            type: STATIC
            load_assignment: {cluster_name: empty}
          - name: dead
            type: STATIC
            connect_timeout: 1s
            load_assignment: {cluster_name: dead, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 1}}}}]}]}
        """.formatted(accessLog, a.port(), b.port());
    proxy = SluiceProxy.start(ProxyOptions.ofYaml(yaml));
    port = proxy.listenerPort("http");
    tcpPort = proxy.listenerPort("tcp");
    assertThat(proxy.isReady()).isTrue();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    a.close();
    b.close();
  }

  static String get(String path, String... headers) throws IOException {
    StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    return RawHttp.exchange(port, sb.append("\r\n").toString());
  }

  static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  @Test
  void forwardsWithStandardHeaders() throws IOException {
    String r = get("/hello?x=1", "X-Request-Id: keep-me");
    assertThat(status(r)).isEqualTo(200);
    assertThat(r).contains("x-upstream: a", "server: istio-envoy", "x-envoy-upstream-service-time: ",
        "GET /hello?x=1", "x-forwarded-proto: http", "x-request-id: keep-me", "x-vhost: main", "x-table: t");
    String generated = get("/hello");
    assertThat(generated).containsPattern("x-request-id: [0-9a-f]{8}-[0-9a-f]{4}-4");
  }

  @Test
  void headerMatchRoutesToB() throws IOException {
    assertThat(get("/x", "x-user: jason")).contains("x-upstream: b");
    assertThat(get("/x", "x-user: json")).contains("x-upstream: a");
  }

  @Test
  void weightedSplit() throws IOException {
    int toA = 0;
    for (int i = 0; i < 300; i++) {
      if (get("/split").contains("x-upstream: a")) {
        toA++;
      }
    }
    assertThat(toA).isBetween(200, 280);
  }

  @Test
  void prefixAndHostRewrite() throws IOException {
    String r = get("/rewrite/foo?q=1");
    assertThat(r).contains("GET /new/foo?q=1", "host: rewritten.local", "x-envoy-original-path: /rewrite/foo?q=1");
  }

  @Test
  void redirectAndDirectResponse() throws IOException {
    String r = get("/redirect?a=b");
    assertThat(status(r)).isEqualTo(301);
    assertThat(r).contains("location: http://other.example.com/there?a=b");
    String d = get("/direct");
    assertThat(status(d)).isEqualTo(200);
    assertThat(d).endsWith("hello direct");
  }

  @Test
  void headerMutations() throws IOException {
    String r = get("/hdrs", "x-over: old", "x-secret: s");
    assertThat(r).contains("x-added: one", "x-over: new", "x-route: r").doesNotContain("x-secret", "x-upstream: a", "x-over: old");
  }

  @Test
  void localRepliesWithEnvoyTexts() throws IOException {
    String nr = RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: unknown.host\r\nConnection: close\r\n\r\n");
    assertThat(status(nr)).isEqualTo(404);
    assertThat(status(get("/nocluster"))).isEqualTo(503);
    String uh = get("/empty");
    assertThat(status(uh)).isEqualTo(503);
    assertThat(uh).endsWith("no healthy upstream");
    String uf = get("/dead");
    assertThat(status(uf)).isEqualTo(503);
    assertThat(uf).endsWith("upstream connect error or disconnect/reset before headers. reset reason: connection failure");
    String uc = get("/close");
    assertThat(status(uc)).isEqualTo(503);
    assertThat(uc).endsWith("upstream connect error or disconnect/reset before headers. reset reason: connection termination");
    String upe = get("/garbage");
    assertThat(status(upe)).isEqualTo(502);
    assertThat(upe).endsWith("upstream connect error or disconnect/reset before headers. reset reason: protocol error");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readString(accessLog))
        .contains("\"code\":404,\"flags\":\"NR\"", "\"code\":503,\"flags\":\"UH\"", "\"code\":503,\"flags\":\"UF\"",
            "\"code\":503,\"flags\":\"UC\"", "\"code\":502,\"flags\":\"UPE\"", "\"code\":503,\"flags\":\"NC\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "POST /bad HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "GET /bad HTTP/1.1\r\nHost: example.com\r\nX-Nul: a\0b\r\n\r\n",
      "GET /bad HTTP/1.1\r\nHost: example.com\r\nX-Fold: a\r\n  folded\r\n\r\n",
      "GET /bad HTTP/1.1\r\nHost: example.com\r\nX-Bad : space\r\n\r\n",
      "GET /bad HTTP/1.1\r\nHost: example.com\r\nX-CR: a\rb\r\n\r\n",
      "GET /bad HTTP/1.1\nHost: example.com\n\n",
      "POST /bad HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
  })
  void malformedRequestsGet400AndAreNotForwarded(String raw) throws IOException {
    int before = a.requests.get() + b.requests.get();
    String r = RawHttp.exchange(port, raw);
    assertThat(r).startsWith("HTTP/1.1 400");
    assertThat(a.requests.get() + b.requests.get()).isEqualTo(before);
  }

  @Test
  void overLimitHeadersGet431() throws IOException {
    StringBuilder many = new StringBuilder("GET /many HTTP/1.1\r\nHost: example.com\r\n");
    for (int i = 0; i < 101; i++) {
      many.append("x-h").append(i).append(": v\r\n");
    }
    assertThat(RawHttp.exchange(port, many.append("\r\n").toString())).startsWith("HTTP/1.1 431");
    String big = "GET /big HTTP/1.1\r\nHost: example.com\r\nX-Big: " + "a".repeat(61 * 1024) + "\r\n\r\n";
    assertThat(RawHttp.exchange(port, big)).startsWith("HTTP/1.1 431");
    StringBuilder ok = new StringBuilder("GET /ok HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n");
    for (int i = 0; i < 90; i++) {
      ok.append("x-h").append(i).append(": v\r\n");
    }
    assertThat(RawHttp.exchange(port, ok.append("\r\n").toString())).startsWith("HTTP/1.1 200");
  }

  @Test
  void keepAliveChunkedAndPipelining() throws IOException {
    String two = "POST /one HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        + "GET /two HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n";
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(two.getBytes(StandardCharsets.ISO_8859_1));
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(all).contains("POST /one", "body: hello", "GET /two");
      assertThat(all.indexOf("POST /one")).isLessThan(all.indexOf("GET /two"));
    }
  }

  @Test
  void expectContinue() throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      var out = s.getOutputStream();
      out.write("POST /c HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[25];
      int n = in.readNBytes(buf, 0, 25);
      assertThat(new String(buf, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 100 Continue");
      out.write("abc".getBytes(StandardCharsets.ISO_8859_1));
      String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(rest).contains("200 OK", "body: abc").doesNotContain("expect:");
    }
  }

  @Test
  void websocketUpgradePassthrough() throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      var out = s.getOutputStream();
      out.write("GET /ws HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket");
      out.write("ping-frame".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      assertThat(new String(in.readNBytes(10), StandardCharsets.ISO_8859_1)).isEqualTo("ping-frame");
    }
  }

  @Test
  void tcpProxy() throws IOException {
    String r = RawHttp.exchange(tcpPort, "GET /via-tcp HTTP/1.1\r\nHost: anything\r\nConnection: close\r\n\r\n");
    assertThat(r).contains("x-upstream: b", "GET /via-tcp").doesNotContain("istio-envoy");
  }

  @Test
  void admin() throws IOException {
    get("/hello");
    int ap = proxy.adminPort();
    assertThat(RawHttp.exchange(ap, "GET /ready HTTP/1.1\r\nHost: x\r\n\r\n")).contains("200 OK").endsWith("LIVE\n");
    assertThat(RawHttp.exchange(ap, "GET /stats HTTP/1.1\r\nHost: x\r\n\r\n"))
        .containsPattern("cluster.a.upstream_rq_total: [1-9]").contains("cluster.a.upstream_cx_active: ", "http.ingress.downstream_rq_total: ");
    assertThat(RawHttp.exchange(ap, "GET /stats/prometheus HTTP/1.1\r\nHost: x\r\n\r\n"))
        .containsPattern("envoy_cluster_upstream_rq_total\\{envoy_cluster_name=\"a\"} [1-9]")
        .contains("# TYPE envoy_cluster_upstream_cx_active gauge", "envoy_cluster_upstream_rq_pending_overflow{envoy_cluster_name=\"a\"} 0");
    assertThat(RawHttp.exchange(ap, "GET /clusters HTTP/1.1\r\nHost: x\r\n\r\n"))
        .contains("a::127.0.0.1:" + a.port() + "::health_flags::healthy", "a::default_priority::max_connections::1024");
    assertThat(RawHttp.exchange(ap, "GET /config_dump HTTP/1.1\r\nHost: x\r\n\r\n"))
        .contains("type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "\"name\": \"http\"", "lastUpdated");
    assertThat(RawHttp.exchange(ap, "GET /server_info HTTP/1.1\r\nHost: x\r\n\r\n")).contains("\"id\": \"test-node\"");
    assertThat(RawHttp.exchange(ap, "POST /logging?level=debug HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")).contains("sluice: debug");
    RawHttp.exchange(ap, "POST /logging?level=info HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  }

  static String readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      sb.append((char) c);
    }
    return sb.toString();
  }
}
