package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Istio's outbound shape in http_proxy mode: virtual per-port listeners ({@code bind_to_port:
 * false}) get no socket, and istiod's {@code PassthroughCluster} (ORIGINAL_DST) forwards each
 * request to the destination its authority names.
 */
@Timeout(60)
class PassthroughProxyTest {
  static EchoUpstream a;
  static EchoUpstream b;
  static SluiceProxy proxy;
  static int port;

  @BeforeAll
  static void start() {
    a = new EchoUpstream("a");
    b = new EchoUpstream("b");
    //language=YAML
    String yaml = """
        static_resources:
          listeners:
          - name: virtualOutbound
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            use_original_dst: true
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: outbound
                  http_filters: [{name: envoy.filters.http.router}]
                  route_config:
                    virtual_hosts:
                    - name: known
                      domains: ["known.local"]
                      routes: [{match: {prefix: /}, route: {cluster: b}}]
                    - name: allow_any
                      domains: ["*"]
                      routes: [{match: {prefix: /}, route: {cluster: PassthroughCluster}}]
          - name: 0.0.0.0_9080
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            bind_to_port: false
            filter_chains:
            - filters:
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: virtual
                  cluster: b
          clusters:
          - name: PassthroughCluster
            type: ORIGINAL_DST
            connect_timeout: 1s
            lb_policy: CLUSTER_PROVIDED
          - name: b
            type: STATIC
            connect_timeout: 1s
            load_assignment: {cluster_name: b, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]}
        """.formatted(b.port());
    proxy = SluiceProxy.start(ProxyOptions.ofYaml(yaml));
    port = proxy.listenerPort("virtualOutbound");
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    a.close();
    b.close();
  }

  @Test
  void virtualListenerGetsNoSocket() {
    assertThat(proxy.listenerPorts()).containsOnlyKeys("virtualOutbound");
    assertThat(proxy.listenerPort("0.0.0.0_9080")).isEqualTo(-1);
  }

  @Test
  void passthroughForwardsToTheAuthority() throws Exception {
    for (int i = 0; i < 3; i++) { // pooled connection reused
      String r = RawHttp.exchange(port, "GET /p HTTP/1.1\r\nHost: 127.0.0.1:" + a.port() + "\r\n\r\n");
      assertThat(r).startsWith("HTTP/1.1 200").contains("x-upstream: a");
    }
    assertThat(RawHttp.exchange(port, "GET /p HTTP/1.1\r\nHost: known.local\r\n\r\n")).contains("x-upstream: b");
    assertThat(RawHttp.exchange(proxy.adminPort(), "GET /stats HTTP/1.1\r\nHost: x\r\n\r\n"))
        .contains("cluster.PassthroughCluster.upstream_rq_total: 3");
  }

  @Test
  void passthroughWithoutAUsableAuthorityIsNoHealthyUpstream() throws Exception {
    String r = RawHttp.exchange(port, "GET /p HTTP/1.1\r\nHost: bad:port\r\n\r\n");
    assertThat(r).startsWith("HTTP/1.1 503").endsWith("no healthy upstream");
  }
}
