package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy driven by java-control-plane's ADS server over a real loopback gRPC connection. */
@Timeout(60)
class AdsProxyTest {
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

  EchoUpstream a;
  EchoUpstream b;
  SimpleCache<String> cache;
  Server server;
  SluiceProxy proxy;
  final ConcurrentLinkedQueue<DiscoveryRequest> requests = new ConcurrentLinkedQueue<>();
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void start() throws Exception {
    a = new EchoUpstream("a");
    b = new EchoUpstream("b");
    cache = new SimpleCache<>(node -> "proxy");
    DiscoveryServerCallbacks cb = new DiscoveryServerCallbacks() {
      @Override
      public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        requests.add(request);
      }

      @Override
      public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {}
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new V3DiscoveryServer(cb, cache).getAggregatedDiscoveryServiceImpl())
        .build().start();
    cache.setSnapshot("proxy", snapshot("1", a.port(), "/"));
    //language=YAML
    String bootstrap = """
        node: {id: sidecar~127.0.0.1~a.default~default.svc.cluster.local, cluster: a}
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
        """.formatted(server.getPort());
    proxy = SluiceProxy.start(ProxyOptions.ofYaml(bootstrap));
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    server.shutdownNow();
    a.close();
    b.close();
  }

  static Snapshot snapshot(String version, int upstreamPort, String regexOrPrefix) throws Exception {
    Cluster cluster = json(Cluster.newBuilder(), """
        {"name": "outbound|80||svc", "type": "EDS", "connect_timeout": "1s", "lb_policy": "LEAST_REQUEST",
         "eds_cluster_config": {"eds_config": {"ads": {}}}}""");
    ClusterLoadAssignment cla = json(ClusterLoadAssignment.newBuilder(), """
        {"cluster_name": "outbound|80||svc", "endpoints": [{"lb_endpoints": [
          {"endpoint": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": %d}}}}]}]}""".formatted(upstreamPort));
    String match = regexOrPrefix.startsWith("/") ? "{\"prefix\": \"" + regexOrPrefix + "\"}"
        : "{\"safe_regex\": {\"regex\": \"" + regexOrPrefix + "\"}}";
    RouteConfiguration rc = json(RouteConfiguration.newBuilder(), """
        {"name": "80", "virtual_hosts": [{"name": "svc", "domains": ["*"],
          "routes": [{"name": "default", "match": %s, "route": {"cluster": "outbound|80||svc", "timeout": "0s"}}]}]}""".formatted(match));
    Listener listener = json(Listener.newBuilder(), """
        {"name": "0.0.0.0_80", "address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}},
         "filter_chains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager",
           "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
             "stat_prefix": "outbound_0.0.0.0_80", "rds": {"route_config_name": "80", "config_source": {"ads": {}}},
             "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]}}]}]}""");
    return Snapshot.create(List.of(cluster), List.of(cla), List.of(listener), List.of(rc), List.of(), version);
  }

  @SuppressWarnings("unchecked")
  static <T extends com.google.protobuf.Message> T json(com.google.protobuf.Message.Builder b, String json) throws Exception {
    JsonFormat.parser().usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
        .add(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.getDescriptor())
        .add(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor()).build()).merge(json, b);
    return (T) b.build();
  }

  String get(String path) throws Exception {
    int port = proxy.listenerPort("0.0.0.0_80");
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.headers().firstValue("x-upstream").orElse("-");
  }

  @Test
  void configArrivesIsAckedSwapsWithoutFailuresAndNacksBadResources() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.isReady() && proxy.listenerPort("0.0.0.0_80") > 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/x").equals("200 a"));
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.stream().anyMatch(r ->
        r.getTypeUrl().equals(LDS) && r.getVersionInfo().equals("1") && !r.getResponseNonce().isEmpty()
            && !r.hasErrorDetail()));
    int port = proxy.listenerPort("0.0.0.0_80");

    // Swap endpoints under load: no request may fail.
    AtomicBoolean run = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger sawB = new AtomicInteger();
    List<Thread> load = new java.util.ArrayList<>();
    for (int t = 0; t < 3; t++) {
      load.add(Thread.ofPlatform().start(() -> {
        while (run.get()) {
          try {
            String r = get("/load");
            if (r.startsWith("200")) {
              ok.incrementAndGet();
              if (r.endsWith("b")) {
                sawB.incrementAndGet();
              }
            } else {
              failures.add(r);
            }
          } catch (Exception e) {
            failures.add(e.toString());
          }
        }
      }));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > 50);
    cache.setSnapshot("proxy", snapshot("2", b.port(), "/"));
    await().atMost(Duration.ofSeconds(10)).until(() -> sawB.get() > 50);
    run.set(false);
    for (Thread t : load) {
      t.join(10_000);
    }
    assertThat(failures).isEmpty();
    assertThat(proxy.listenerPort("0.0.0.0_80")).isEqualTo(port); // listener untouched

    // A bad route: NACKed with the resource and field; the previous config keeps serving.
    cache.setSnapshot("proxy", snapshot("3", a.port(), "(["));
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.stream().anyMatch(r ->
        r.getTypeUrl().equals(RDS) && r.hasErrorDetail()));
    DiscoveryRequest nack = requests.stream().filter(r -> r.getTypeUrl().equals(RDS) && r.hasErrorDetail()).findFirst().orElseThrow();
    assertThat(nack.getErrorDetail().getMessage())
        .startsWith("RouteConfiguration 80: virtual_hosts[svc].routes[0].match.safe_regex.regex: invalid RE2 expression");
    assertThat(nack.getVersionInfo()).isEqualTo("2");
    assertThat(get("/still")).isEqualTo("200 a"); // EDS v3 (valid) applied, route v2 kept

    // Control plane gone: the last good config keeps serving.
    server.shutdownNow();
    server.awaitTermination();
    assertThat(get("/after")).isEqualTo("200 a");
    int admin = proxy.adminPort();
    assertThat(RawHttp.exchange(admin, "GET /config_dump HTTP/1.1\r\nHost: x\r\n\r\n"))
        .contains("\"versionInfo\": \"3\"", "outbound|80||svc", "lastUpdated");
  }

  @Test
  void subscribesToTheReferencedNamesAndUnsubscribesWhenTheyGo() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.listenerPort("0.0.0.0_80") > 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/x").equals("200 a"));
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.stream().anyMatch(r ->
        r.getTypeUrl().equals(EDS) && r.getResourceNamesList().equals(List.of("outbound|80||svc"))
            && r.getVersionInfo().equals("1")));
    assertThat(requests).filteredOn(r -> r.getTypeUrl().equals(RDS))
        .allSatisfy(r -> assertThat(r.getResourceNamesList()).containsExactly("80"));

    // The control plane drops the EDS cluster and the listener: the proxy unsubscribes with an
    // empty list (not a wildcard for EDS/RDS).
    cache.setSnapshot("proxy", Snapshot.create(List.of(), List.of(), List.of(), List.of(), List.of(), "2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.stream().anyMatch(r ->
        r.getTypeUrl().equals(EDS) && r.getResourceNamesList().isEmpty()));
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.stream().anyMatch(r ->
        r.getTypeUrl().equals(RDS) && r.getResourceNamesList().isEmpty()));
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.listenerPort("0.0.0.0_80") < 0);
    assertThat(RawHttp.exchange(proxy.adminPort(), "GET /config_dump HTTP/1.1\r\nHost: x\r\n\r\n"))
        .doesNotContain("outbound|80||svc");
  }

  @Test
  void closingTheProxyIsQuiet() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.listenerPort("0.0.0.0_80") > 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/x").equals("200 a"));
    List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
          logged.add(r);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.addHandler(capture);
    // The control plane keeps pushing while the proxy closes: responses arrive after the close.
    AtomicBoolean pushing = new AtomicBoolean(true);
    Thread pusher = Thread.ofPlatform().start(() -> {
      for (int v = 2; pushing.get(); v++) {
        try {
          cache.setSnapshot("proxy", snapshot(String.valueOf(v), v % 2 == 0 ? b.port() : a.port(), "/"));
          Thread.sleep(1);
        } catch (Exception e) {
          return;
        }
      }
    });
    try {
      Thread.sleep(50);
      proxy.close();
      proxy = null;
      Thread.sleep(300); // late channel callbacks would land here
    } finally {
      pushing.set(false);
      pusher.join(5_000);
      root.removeHandler(capture);
    }
    assertThat(logged).extracting(r -> r.getMessage() + " " + r.getThrown()).isEmpty();
  }
}
