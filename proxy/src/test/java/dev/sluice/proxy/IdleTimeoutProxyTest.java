package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
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
                    virtual_hosts: [{name: all, domains: ["*"], routes: [{match: {prefix: /}, route: {cluster: a}}]}]
          clusters:
          - name: a
            type: STATIC
            connect_timeout: 1s
            load_assignment: {cluster_name: a, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]}
        """.formatted(up.port());
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
      assertThat(request(s, "/one")).startsWith("HTTP/1.1 200").contains("GET /one");
      long t0 = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1); // the proxy closed the idle connection
      long waitedMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(waitedMs).isBetween(300L, 9_000L);
    }
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
