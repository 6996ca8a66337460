package dev.sluice.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.Test;

/** {@link ProtoYaml} gives what the former Jackson → JSON → {@code JsonFormat} path gave. */
class ProtoYamlTest {

  //language=YAML
  static final String RICH = """
      node:
        id: sidecar~10.0.0.1~productpage-v1.default~default.svc.cluster.local
        cluster: productpage.default
        metadata: {NAMESPACE: default, LABELS: {app: productpage, version: v1}, ISTIO_VERSION: "1.24", ratio: 0.5, on: yes, n: null, list: [1, "two", false]}
      admin: {address: {socket_address: {address: 127.0.0.1, port_value: 15000}}}
      static_resources:
        listeners:
        - name: http
          address: {socket_address: {address: 0.0.0.0, port_value: 8080, protocol: TCP}}
          traffic_direction: INBOUND
          bind_to_port: false
          filter_chains:
          - filters:
            - name: istio.stats
              typed_config: {"@type": type.googleapis.com/google.protobuf.Struct, value: {reporter: destination}}
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                statPrefix: inbound          # lowerCamelCase too
                use_remote_address: true
                max_request_headers_kb: 96
                common_http_protocol_options: {idle_timeout: 1.5s, max_headers_count: 200}
                tracing:
                  random_sampling: {value: 12.5}
                  custom_tags: [{tag: mesh, literal: {value: sluice}}]
                access_log:
                - name: envoy.access_loggers.file
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                    path: /dev/stdout
                    log_format: {json_format: {code: "%RESPONSE_CODE%", n: 1}}
                http_filters:
                - name: envoy.filters.http.fault
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                    abort: {http_status: 503, percentage: {numerator: 10, denominator: HUNDRED}}
                - name: envoy.filters.http.router
                  typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    retry_policy: {retry_on: "5xx", num_retries: 3, retry_host_predicate: [{name: envoy.retry_host_predicates.previous_hosts,
                      typed_config: {"@type": type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate}}]}
                    routes:
                    - match: {prefix: /, headers: [{name: x-a, string_match: {exact: "on"}}]}
                      route: {cluster: up, timeout: 0s, hash_policy: [{header: {header_name: x-u}}]}
                      typed_per_filter_config:
                        envoy.filters.http.cors:
                          "@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy
                          allow_origin_string_match: [{exact: "https://a"}]
                          max_age: "60"
        clusters:
        - name: up
          type: STATIC
          connect_timeout: 0.25s
          lb_policy: 3
          circuit_breakers: {thresholds: [{max_connections: 4294967295, max_retries: "7"}]}
          typed_extension_protocol_options:
            envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
              "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
              explicit_http_config: {http2_protocol_options: {}}
          metadata: {filter_metadata: {istio: {default_original_port: 8080}}}
          load_assignment: {cluster_name: up, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 18080}}}, load_balancing_weight: 2}]}]}
      dynamic_resources:
        ads_config: {api_type: GRPC, transport_api_version: V3, grpc_services: [{envoy_grpc: {cluster_name: xds-grpc}}]}
        cds_config: {ads: {}, resource_api_version: V3}
      tracing:
        http:
          name: envoy.tracers.zipkin
          typed_config: {"@type": type.googleapis.com/envoy.config.trace.v3.ZipkinConfig, collector_cluster: zipkin,
            collector_endpoint: /api/v2/spans, collector_endpoint_version: HTTP_JSON, trace_id_128bit: true}
      """;

  static io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap viaJsonFormat(String yaml) throws Exception {
    String json = new ObjectMapper().writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(yaml));
    var b = io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(Bootstrap.DumpTypes.REGISTRY).merge(json, b);
    return b.build();
  }

  @Test
  void sameProtoAsJsonFormat() throws Exception {
    // The one difference: Jackson's YAML reads a plain yes as true (YAML 1.1); ProtoYaml keeps it
    // a string, as YAML 1.2 does, unless the field is a bool.
    var expected = viaJsonFormat(RICH.replace("on: yes", "on: \"yes\""));
    assertThat(Bootstrap.parse("rich", RICH)).isEqualTo(expected);
    assertThat(Bootstrap.parse("rich", RICH).getNode().getMetadata().getFieldsOrThrow("on").getStringValue()).isEqualTo("yes");
  }

  @Test
  void jsonWithTabsToo() throws Exception {
    String json = new ObjectMapper().writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(RICH))
        .replace(",\"", ",\t\"");
    assertThat(Bootstrap.parse("json", json)).isEqualTo(viaJsonFormat(RICH)); // "on": true in JSON
  }

  @Test
  void errorsNameThePath() {
    assertThatThrownBy(() -> Bootstrap.parse("f", "static_resources: {clusters: [{name: a, bogus: 1}]}"))
        .hasMessage("f: not a valid Envoy v3 bootstrap (static_resources.clusters[0].bogus: unknown field of envoy.config.cluster.v3.Cluster)");
    assertThatThrownBy(() -> Bootstrap.parse("f", "static_resources: {clusters: [{name: a, connect_timeout: 5}]}"))
        .hasMessageContaining("static_resources.clusters[0].connect_timeout: 5 (expected: a duration such as \"1.5s\")");
    assertThatThrownBy(() -> Bootstrap.parse("f", "static_resources: {listeners: [{name: l, filter_chains: [{filters: [{name: x, typed_config: {\"@type\": type.googleapis.com/acme.Thing}}]}]}]}"))
        .hasMessageContaining("static_resources.listeners[0].filter_chains[0].filters[0].typed_config.@type: type.googleapis.com/acme.Thing (expected: a type this proxy knows)");
    assertThatThrownBy(() -> Bootstrap.parse("f", "static_resources: {clusters: [{name: a, type: NOPE}]}"))
        .hasMessageContaining("static_resources.clusters[0].type: NOPE (expected: one of [STATIC, STRICT_DNS");
    assertThatThrownBy(() -> Bootstrap.parse("f", "admin: {address: {socket_address: {port_value: 70000000000}}}"))
        .hasMessageContaining("admin.address.socket_address.port_value: 70000000000 (expected: a valid uint32)");
    assertThatThrownBy(() -> Bootstrap.parse("f", "node: [1, 2"))
        .hasMessageStartingWith("f: not valid YAML/JSON");
  }

  @Test
  void emptyDocumentIsTheDefaultBootstrap() {
    assertThat(Bootstrap.parse("f", "")).isEqualTo(io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.getDefaultInstance());
    assertThat(Bootstrap.parse("f", "# nothing\n")).isEqualTo(io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.getDefaultInstance());
  }
}
