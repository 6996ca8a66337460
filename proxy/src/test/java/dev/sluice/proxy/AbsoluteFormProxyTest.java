package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Absolute-form request targets (what an application sends through {@code HTTP_PROXY}): routed
 * by the URI's authority, forwarded upstream in origin-form; rejected with 400 when the HCM sets
 * {@code http_protocol_options.allow_absolute_url: false}.
 */
@Timeout(30)
class AbsoluteFormProxyTest {
  static EchoUpstream a;
  static EchoUpstream b;
  static SluiceProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    a = new EchoUpstream("a");
    b = new EchoUpstream("b");
    //language=YAML
    String yaml = """
        static_resources:
          listeners:
          - name: open
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains: [{filters: [{name: envoy.filters.network.http_connection_manager, typed_config: {
              "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager,
              stat_prefix: open, http_filters: [{name: envoy.filters.http.router}], route_config: &routes {virtual_hosts: [
                {name: a, domains: [a.local], routes: [{match: {prefix: /}, route: {cluster: a}}]},
                {name: b, domains: ["b.local:8080"], routes: [{match: {prefix: /}, route: {cluster: b}}]}]}}}]}]
          - name: strict
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains: [{filters: [{name: envoy.filters.network.http_connection_manager, typed_config: {
              "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager,
              stat_prefix: strict, http_protocol_options: {allow_absolute_url: false},
              http_filters: [{name: envoy.filters.http.router}], route_config: *routes}}]}]
          clusters:
          - name: a
            type: STATIC
            load_assignment: {cluster_name: a, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]}
          - name: b
            type: STATIC
            load_assignment: {cluster_name: b, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]}
        """.formatted(a.port(), b.port());
    proxy = SluiceProxy.start(ProxyOptions.ofYaml(yaml));
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    a.close();
    b.close();
  }

  static String send(String listener, String head) throws IOException {
    return RawHttp.exchange(proxy.listenerPort(listener), head + "Connection: close\r\n\r\n");
  }

  @Test
  void routesByTheAbsoluteUrisAuthorityAndForwardsOriginForm() throws IOException {
    // The URI's authority wins over the Host header (RFC 9112 §3.2.2), as in Envoy.
    String r = send("open", "GET http://b.local:8080/p/q?x=1#frag HTTP/1.1\r\nHost: a.local\r\n");
    assertThat(r).startsWith("HTTP/1.1 200").contains("x-upstream: b", "GET /p/q?x=1\n")
        .containsIgnoringCase("host: b.local:8080").doesNotContain("http://", "#frag");
    // No Host header needed; an empty path is "/"; scheme case and userinfo do not matter.
    assertThat(send("open", "GET HTTP://user:pw@a.local HTTP/1.1\r\n"))
        .startsWith("HTTP/1.1 200").contains("x-upstream: a", "GET /\n").doesNotContain("user:pw");
    assertThat(send("open", "GET http://a.local?z=2 HTTP/1.1\r\n")).contains("GET /?z=2\n");
    // Origin-form is unchanged.
    assertThat(send("open", "GET /o HTTP/1.1\r\nHost: a.local\r\n")).contains("x-upstream: a", "GET /o\n");
  }

  @Test
  void badAbsoluteUrisAndDisallowedOnesGet400() throws IOException {
    int forwarded = a.hosts.size() + b.hosts.size();
    for (String target : new String[] {"ftp://a.local/", "http:///nohost", "http://a.local:99999/", "http://a b/",
        "mailto:x@a.local"}) {
      assertThat(send("open", "GET " + target + " HTTP/1.1\r\nHost: a.local\r\n")).as(target).startsWith("HTTP/1.1 400");
    }
    assertThat(send("strict", "GET http://a.local/ HTTP/1.1\r\nHost: a.local\r\n")).startsWith("HTTP/1.1 400");
    assertThat(a.hosts.size() + b.hosts.size()).as("nothing forwarded").isEqualTo(forwarded);
    assertThat(send("strict", "GET / HTTP/1.1\r\nHost: a.local\r\n")).startsWith("HTTP/1.1 200");
  }
}
