package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection manager's downstream {@code idle_timeout}: a keep-alive connection without a
 * request is closed once the timeout passes; requests that keep coming keep it open.
 */
@Timeout(60)
class IdleTimeoutProxyTest {
  static EchoUpstream up;
  static SluiceProxy proxy;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    up = new EchoUpstream("a");
    //language=YAML
    String yaml = """
        node: {id: test-node, cluster: test}
        admin: {address: {socket_address: {address: 127.0.0.1, port_value: 0}}}
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
                  common_http_protocol_options: {idle_timeout: 0.4s}
                  http_filters: [{name: envoy.filters.http.router}]
                  route_config:
                    virtual_hosts: [{name: all, domains: ["*"], routes: [{match: {prefix: /pooled}, route: {cluster: pooled}}, {match: {prefix: /}, route: {cluster: a}}]}]
          clusters:
          - name: a
            type: STATIC
            connect_timeout: 1s
            load_assignment: {cluster_name: a, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]}
          - name: pooled
            type: STATIC
            connect_timeout: 1s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                common_http_protocol_options: {idle_timeout: 0.4s}
                explicit_http_config: {http_protocol_options: {}}
            load_assignment: {cluster_name: pooled, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]}
        """.formatted(up.port(), up.port());
    proxy = SluiceProxy.start(ProxyOptions.ofYaml(yaml));
    port = proxy.listenerPort("http");
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    up.close();
  }

  /** Sends one keep-alive GET and reads its response (the echo upstream frames it with a length). */
  private static String request(Socket s, String path) throws IOException {
    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: example.com\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("connection closed while reading a response").isNotEqualTo(-1);
      head.append((char) b);
    }
    var m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
    assertThat(m.find()).as("content-length in %s", head).isTrue();
    return head + new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.ISO_8859_1);
  }

  @Test
  void idleConnectionIsClosedAfterTheTimeout() throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      long sent = System.nanoTime(); // the idle time cannot start before the request was sent
      assertThat(request(s, "/one")).startsWith("HTTP/1.1 200").contains("GET /one");
      assertThat(s.getInputStream().read()).isEqualTo(-1); // the proxy closed the idle connection
      long closedAfterMs = (System.nanoTime() - sent) / 1_000_000;
      assertThat(closedAfterMs).isBetween(390L, 9_000L);
    }
  }

  /** The cluster's {@code idle_timeout}: a pooled upstream connection closes once unused that long. */
  @Test
  void idleUpstreamConnectionIsClosed() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      for (int i = 0; i < 4; i++) { // reused across requests 150 ms apart: not idle meanwhile
        assertThat(request(s, "/pooled/" + i)).startsWith("HTTP/1.1 200");
        Thread.sleep(150);
      }
      assertThat(stat("cluster.pooled.upstream_cx_total")).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> stat("cluster.pooled.upstream_cx_active") == 0);
    }
  }

  static long stat(String name) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    String body = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
        + proxy.adminPort() + "/stats?filter=" + name)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    for (String line : body.split("\n")) {
      if (line.startsWith(name + ": ")) {
        return Long.parseLong(line.substring(name.length() + 2).trim());
      }
    }
    return -1;
  }

  @Test
  void requestsKeepTheConnectionOpen() throws IOException, InterruptedException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      for (int i = 0; i < 6; i++) { // 6 x 150 ms: well past one idle timeout in total
        assertThat(request(s, "/r" + i)).startsWith("HTTP/1.1 200").contains("GET /r" + i);
        Thread.sleep(150);
      }
      s.setSoTimeout(100);
      try {
        assertThat(s.getInputStream().read()).as("still open, nothing to read").isEqualTo(-2);
      } catch (SocketTimeoutException expected) {
        // open and silent
      }
    }
  }
}
