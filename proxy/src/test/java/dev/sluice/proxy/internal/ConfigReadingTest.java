package dev.sluice.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigReadingTest {
  //language=YAML
  static final String STATIC = """
      node: {id: "sidecar~10.0.0.1~productpage-v1-1.default~default.svc.cluster.local", metadata: {NAMESPACE: default, LABELS: {app: productpage, version: v1}}}
      admin: {address: {socket_address: {address: 127.0.0.1, port_value: 15001}}}
      static_resources:
        listeners:
        - name: http
          address: {socket_address: {address: 127.0.0.1, port_value: 0}}
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: http
                http_filters: [{name: envoy.filters.http.router}]
                route_config: {virtual_hosts: [{name: all, domains: ["*"], routes: [{match: {prefix: /}, route: {cluster: up}}]}]}
        clusters:
        - name: up
          connect_timeout: 1s
          typed_extension_protocol_options:
            envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
              "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
              explicit_http_config: {http2_protocol_options: {}}
          load_assignment: {cluster_name: up, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 8080}}}}]}]}
      tracing:
        http:
          name: envoy.tracers.zipkin
          typed_config: {"@type": type.googleapis.com/envoy.config.trace.v3.ZipkinConfig, collector_cluster: zipkin, collector_endpoint: /api/v2/spans, collector_endpoint_version: HTTP_JSON}
      """;

  @Test
  void aStaticBootstrapIsReadInALoaderOfItsOwnIntoTheSameRecords() {
    ConfigReading.Read isolated = ConfigReading.read(null, STATIC, null, "fallback");
    StaticConfig direct = new StaticConfigReader().apply(new String[] {"config", STATIC, null, "fallback"});
    assertThat(isolated.isolated()).isTrue();
    StaticConfig c = isolated.config();
    assertThat(c.clusters()).isEqualTo(direct.clusters());
    assertThat(c.clusters().get("up").http2()).isTrue();
    assertThat(c.listeners()).containsOnlyKeys("http");
    assertThat(c.listeners().get("http").toString()).isEqualTo(direct.listeners().get("http").toString());
    assertThat(c.tracer()).isEqualTo(direct.tracer()).isNotNull();
    assertThat(c.self()).isEqualTo(direct.self());
    assertThat(c.self().app()).isEqualTo("productpage");
    assertThat(c.self().namespace()).isEqualTo("default");
    assertThat(c.nodeCluster()).isEqualTo("fallback");
    assertThat(c.adminPort()).isEqualTo(15001);
    assertThat(c.dynamic()).isFalse();
    assertThat(c.bootstrap()).isEqualTo(direct.bootstrap());
    assertThat(Bootstrap.decode("b", c.bootstrap())).isEqualTo(Bootstrap.parse("b", STATIC));
  }

  @Test
  void aBootstrapWithDynamicResourcesIsReadInTheProxysOwnLoader() {
    ConfigReading.Read r = ConfigReading.read(null, STATIC + """
        dynamic_resources:
          ads_config: {api_type: GRPC, grpc_services: [{envoy_grpc: {cluster_name: up}}]}
        """, null, null);
    assertThat(r.isolated()).isFalse();
    assertThat(r.config().dynamic()).isTrue();
  }

  @Test
  void errorsComeBackAsTheyAreThrown() {
    String bad = "static_resources: {clusters: [{name: a, bogus: 1}]}";
    assertThatThrownBy(() -> ConfigReading.read(null, bad, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("config: not a valid Envoy v3 bootstrap (static_resources.clusters[0].bogus: unknown field of envoy.config.cluster.v3.Cluster)");
    assertThatThrownBy(() -> ConfigReading.read("/nonexistent/sluice.yaml", null, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("/nonexistent/sluice.yaml: cannot read");
  }

  @Test
  void noBootstrapIsAnEmptyOne() {
    ConfigReading.Read r = ConfigReading.read(null, null, "n", "c");
    assertThat(r.config().nodeId()).isEqualTo("n");
    assertThat(r.config().clusters()).isEmpty();
    assertThat(r.config().adminPort()).isEqualTo(-1);
  }
}
