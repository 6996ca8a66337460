package dev.sluice.proxy.core.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.listener.HttpConnectionManager;
import dev.sluice.proxy.core.listener.RouteSource;
import dev.sluice.proxy.core.listener.TcpProxy;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.WeightedCluster;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XdsParsersTest {
  static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
      .add(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDescriptor())
      .build();

  @SuppressWarnings("unchecked")
  static <T extends Message> T json(String json, T.Builder builder) {
    try {
      JsonFormat.parser().usingTypeRegistry(TYPES).merge(json, builder);
      return (T) builder.build();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Any cluster(String json) {
    return Any.pack(json(json, io.envoyproxy.envoy.config.cluster.v3.Cluster.newBuilder()));
  }

  @Test
  void oneBadClusterDoesNotPoisonTheOthers() {
    ParseResult<Cluster> r = XdsParsers.clusters(List.of(
        cluster("{\"name\": \"good\", \"type\": \"EDS\", \"lb_policy\": \"MAGLEV\", \"connect_timeout\": \"1s\"}"),
        cluster("{\"name\": \"bad\", \"type\": \"EDS\", \"lb_policy\": \"CLUSTER_PROVIDED\"}")));
    assertThat(r.resources()).containsOnlyKeys("good");
    assertThat(r.resources().get("good").lbPolicy()).isEqualTo(dev.sluice.proxy.core.cluster.LbPolicy.MAGLEV);
    assertThat(r.errorDetail()).isEqualTo(
        "Cluster bad: lb_policy: CLUSTER_PROVIDED (expected: ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH or MAGLEV)");
  }

  @Test
  void istioServicesMetadataOfInboundClusters() {
    ParseResult<Cluster> r = XdsParsers.clusters(List.of(
        cluster("""
            {"name": "inbound|9080||", "type": "STATIC", "connect_timeout": "1s",
             "metadata": {"filter_metadata": {"istio": {"services": [
               {"host": "details.default.svc.cluster.local", "name": "details", "namespace": "default"},
               {"host": "details-alias.default.svc.cluster.local", "name": "details-alias", "namespace": "default"}]}}}}"""),
        cluster("{\"name\": \"plain\", \"type\": \"STATIC\", \"connect_timeout\": \"1s\"}"),
        cluster("""
            {"name": "bad", "type": "STATIC", "connect_timeout": "1s",
             "metadata": {"filter_metadata": {"istio": {"services": [{"host": "x.default.svc.cluster.local", "name": "x"}]}}}}""")));
    assertThat(r.resources().get("inbound|9080||").istioServices()).containsExactly(
        new Cluster.IstioService("details.default.svc.cluster.local", "details", "default"),
        new Cluster.IstioService("details-alias.default.svc.cluster.local", "details-alias", "default"));
    assertThat(r.resources().get("plain").istioServices()).isEmpty();
    assertThat(r.errorDetail()).isEqualTo("Cluster bad: metadata.filter_metadata.istio.services[0].namespace: absent "
        + "(expected: a non-empty string)");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "{'name':'r','virtual_hosts':[{'name':'vh','domains':['*'],'routes':[{'match':{'safe_regex':{'regex':'(['}},'route':{'cluster':'c'}}]}]} | RouteConfiguration r: virtual_hosts[vh].routes[0].match.safe_regex.regex: invalid RE2 expression",
      "{'name':'r','virtual_hosts':[{'name':'vh','domains':['*'],'routes':[{'match':{'prefix':'/'},'route':{'weighted_clusters':{'clusters':[{'name':'a','weight':0}]}}}]}]} | RouteConfiguration r: virtual_hosts[vh].routes[0].route.weighted_clusters.weighted_clusters: total weight 0 (expected: > 0)",
      "{'name':'r','virtual_hosts':[{'name':'vh','domains':[]}]} | RouteConfiguration r: virtual_hosts[vh].domains: [] (expected: at least one domain)",
      "{'name':'r','virtual_hosts':[{'name':'vh','domains':['*'],'routes':[{'match':{'prefix':'/'},'redirect':{'port_redirect':70000}}]}]} | RouteConfiguration r: virtual_hosts[vh].routes[0].redirect.port_redirect: 70000 (expected: 0..65535)",
      "{'name':'r','virtual_hosts':[{'name':'vh','domains':['*'],'routes':[{'match':{'prefix':'/'},'direct_response':{'status':99}}]}]} | RouteConfiguration r: virtual_hosts[vh].routes[0].direct_response.status: 99 (expected: 200..599)",
  })
  void routeErrorsNameTheField(String json, String expected) {
    var rc = json(json.replace('\'', '"'), io.envoyproxy.envoy.config.route.v3.RouteConfiguration.newBuilder());
    var r = XdsParsers.routes(List.of(Any.pack(rc)));
    assertThat(r.errorDetail()).startsWith(expected);
  }

  static final String HCM_TYPE = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";

  @Test
  void listenerWithHcmAndAccessLog() {
    //language=JSON
    String l = """
        {"name": "0.0.0.0_8080", "address": {"socket_address": {"address": "0.0.0.0", "port_value": 8080}},
         "filter_chains": [{"filters": [{"name": "hcm", "typed_config": {"@type": "%s",
           "stat_prefix": "ingress", "server_name": "istio-envoy", "use_remote_address": true,
           "rds": {"route_config_name": "8080"},
           "access_log": [{"name": "file", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog",
              "path": "/dev/stdout", "log_format": {"json_format": {"code": "%%RESPONSE_CODE%%"}}}}],
           "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]}}]}]}
        """.formatted(HCM_TYPE);
    var r = XdsParsers.listeners(List.of(Any.pack(json(l, io.envoyproxy.envoy.config.listener.v3.Listener.newBuilder()))));
    assertThat(r.errors()).isEmpty();
    var hcm = (HttpConnectionManager) r.resources().get("0.0.0.0_8080").filter();
    assertThat(hcm.routes()).isEqualTo(new RouteSource.Rds("8080"));
    assertThat(hcm.serverName()).isEqualTo("istio-envoy");
    assertThat(hcm.useRemoteAddress()).isTrue();
    assertThat(hcm.accessLogs().getFirst().jsonFormat()).containsEntry("code", "%RESPONSE_CODE%");
  }

  @Test
  void unknownHttpFilterIsRejectedUnlessOptional() {
    String l = """
        {"name": "l", "address": {"socket_address": {"address": "127.0.0.1", "port_value": 1}},
         "filter_chains": [{"filters": [{"name": "hcm", "typed_config": {"@type": "%s", "stat_prefix": "s",
           "rds": {"route_config_name": "r"},
           "http_filters": [{"name": "acme.auth", "is_optional": %s}, {"name": "envoy.filters.http.router"}]}}]}]}
        """;
    var bad = XdsParsers.listeners(List.of(Any.pack(json(l.formatted(HCM_TYPE, "false"),
        io.envoyproxy.envoy.config.listener.v3.Listener.newBuilder()))));
    assertThat(bad.errorDetail()).startsWith("Listener l: filter_chains[0].filters[0].http_filters[0]: acme.auth (expected:");
    var ok = XdsParsers.listeners(List.of(Any.pack(json(l.formatted(HCM_TYPE, "true"),
        io.envoyproxy.envoy.config.listener.v3.Listener.newBuilder()))));
    assertThat(ok.ok()).isTrue();
  }

  @Test
  void tcpProxyWeighted() {
    var tp = io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.newBuilder()
        .setStatPrefix("tcp").setWeightedClusters(
            io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.WeightedCluster.newBuilder()
                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName("a").setWeight(1))
                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName("b").setWeight(3))).build();
    var l = io.envoyproxy.envoy.config.listener.v3.Listener.newBuilder().setName("t")
        .setAddress(io.envoyproxy.envoy.config.core.v3.Address.newBuilder().setSocketAddress(
            io.envoyproxy.envoy.config.core.v3.SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(9000)))
        .addFilterChains(io.envoyproxy.envoy.config.listener.v3.FilterChain.newBuilder().addFilters(
            io.envoyproxy.envoy.config.listener.v3.Filter.newBuilder().setName("tcp").setTypedConfig(Any.pack(tp))))
        .build();
    var r = XdsParsers.listeners(List.of(Any.pack(l)));
    assertThat(((TcpProxy) r.resources().get("t").filter()).cluster())
        .isInstanceOf(dev.sluice.proxy.core.route.ClusterSpecifier.Weighted.class);
  }

  @Test
  void endpointsWithHealthAndWeights() {
    String cla = """
        {"cluster_name": "c", "endpoints": [{"priority": 1, "lb_endpoints": [
          {"endpoint": {"address": {"socket_address": {"address": "10.0.0.1", "port_value": 80}}}, "health_status": "UNHEALTHY", "load_balancing_weight": 5},
          {"endpoint": {"address": {"socket_address": {"address": "10.0.0.2", "port_value": 0}}}}]}]}
        """;
    var r = XdsParsers.endpoints(List.of(Any.pack(json(cla, io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.newBuilder()))));
    assertThat(r.errorDetail()).isEqualTo(
        "ClusterLoadAssignment c: endpoints[0].lb_endpoints[1].endpoint.address.socket_address.port_value: 0 (expected: 1..65535)");
  }

  @Test
  void virtualListenerWithoutBindToPortIsAcceptedAndNotBound() {
    // istiod's per-port outbound listeners: reached only through the virtualOutbound handoff.
    String l = """
        {"name": "0.0.0.0_9080", "address": {"socket_address": {"address": "0.0.0.0", "port_value": 9080}},
         "bind_to_port": %s, "traffic_direction": "OUTBOUND",
         "filter_chains": [{"filters": [{"name": "hcm", "typed_config": {"@type": "%s", "stat_prefix": "s",
           "rds": {"route_config_name": "9080"}, "http_filters": [{"name": "envoy.filters.http.router"}]}}]}]}
        """;
    var virtual = XdsParsers.listeners(List.of(Any.pack(json(l.formatted("false", HCM_TYPE),
        io.envoyproxy.envoy.config.listener.v3.Listener.newBuilder()))));
    assertThat(virtual.errors()).isEmpty();
    assertThat(virtual.resources().get("0.0.0.0_9080").bindToPort()).isFalse();
    var bound = XdsParsers.listeners(List.of(Any.pack(json(l.formatted("true", HCM_TYPE),
        io.envoyproxy.envoy.config.listener.v3.Listener.newBuilder()))));
    assertThat(bound.resources().get("0.0.0.0_9080").bindToPort()).isTrue();
    var unset = XdsParsers.listeners(List.of(Any.pack(json(l.replace("\"bind_to_port\": %s,", "")
        .formatted(HCM_TYPE), io.envoyproxy.envoy.config.listener.v3.Listener.newBuilder()))));
    assertThat(unset.resources().get("0.0.0.0_9080").bindToPort()).isTrue();
  }

  @Test
  void passthroughClusterIsAcceptedAsOriginalDst() {
    // istiod's PassthroughCluster and InboundPassthroughCluster shapes.
    ParseResult<Cluster> r = XdsParsers.clusters(List.of(
        cluster("""
            {"name": "PassthroughCluster", "type": "ORIGINAL_DST", "connect_timeout": "10s",
             "lb_policy": "CLUSTER_PROVIDED", "circuit_breakers": {"thresholds": [{"max_connections": 4294967295}]},
             "typed_extension_protocol_options": {}}"""),
        cluster("""
            {"name": "InboundPassthroughCluster", "type": "ORIGINAL_DST", "connect_timeout": "10s",
             "lb_policy": "CLUSTER_PROVIDED", "original_dst_lb_config": {"use_http_header": true}}"""),
        cluster("{\"name\": \"good\", \"type\": \"STATIC\", \"connect_timeout\": \"1s\"}")));
    assertThat(r.errors()).isEmpty();
    Cluster pass = r.resources().get("PassthroughCluster");
    assertThat(pass.type()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
    assertThat(pass.endpoints()).isEmpty();
    assertThat(pass.originalDstHeader()).isEmpty();
    assertThat(r.resources().get("InboundPassthroughCluster").originalDstHeader()).isEqualTo("x-envoy-original-dst-host");
    assertThat(XdsParsers.clusters(List.of(cluster(
        "{\"name\": \"p\", \"type\": \"ORIGINAL_DST\", \"lb_policy\": \"MAGLEV\"}"))).errorDetail())
        .isEqualTo("Cluster p: lb_policy: MAGLEV (expected: CLUSTER_PROVIDED for an ORIGINAL_DST cluster)");
  }
}
