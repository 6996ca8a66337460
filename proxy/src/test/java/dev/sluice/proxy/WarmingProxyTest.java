package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cluster warming as Envoy does it, with an ADS server the test scripts response by response:
 * LDS waits for the clusters to warm, a new cluster is unknown (503 NC) until its first
 * assignment, a changed cluster keeps serving its old version until the new one is warm, the
 * EDS subscription change goes out before the CDS ACK, and warming clusters show in {@code
 * /config_dump}, {@code /stats} and (not) in {@code /clusters}.
 */
@Timeout(60)
class WarmingProxyTest {
  static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

  EchoUpstream a;
  EchoUpstream b;
  Server server;
  SluiceProxy proxy;
  final BlockingQueue<DiscoveryRequest> requests = new LinkedBlockingQueue<>();
  volatile @Nullable StreamObserver<DiscoveryResponse> stream;
  final AtomicInteger nonce = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    a = new EchoUpstream("a");
    b = new EchoUpstream("b");
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> out) {
            stream = out;
            return new StreamObserver<>() {
              @Override
              public void onNext(DiscoveryRequest r) {
                requests.add(r);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                out.onCompleted();
              }
            };
          }
        }).build().start();
    //language=YAML
    String bootstrap = """
        node: {id: sidecar~127.0.0.1~w.default~default.svc.cluster.local, cluster: w}
        dynamic_resources:
          ads_config: {api_type: GRPC, transport_api_version: V3, grpc_services: [{envoy_grpc: {cluster_name: xds-grpc}}]}
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

  static Any cluster(String name, int connectSeconds) throws Exception {
    return cluster(name, connectSeconds, "");
  }

  static Any cluster(String name, int connectSeconds, String serviceName) throws Exception {
    return Any.pack(AdsProxyTest.<Cluster>json(Cluster.newBuilder(), """
        {"name": "%s", "type": "EDS", "connect_timeout": "%ds",
         "eds_cluster_config": {"service_name": "%s", "eds_config": {"ads": {}, "initial_fetch_timeout": "0s"}}}"""
        .formatted(name, connectSeconds, serviceName)));
  }

  static Any cla(String name, int port) throws Exception {
    return Any.pack(AdsProxyTest.<ClusterLoadAssignment>json(ClusterLoadAssignment.newBuilder(), """
        {"cluster_name": "%s", "endpoints": [{"lb_endpoints": [
          {"endpoint": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": %d}}}}]}]}""".formatted(name, port)));
  }

  /** A listener with an inline route table: {@code /new} to cluster {@code new}, the rest to {@code svc}. */
  static Any listener() throws Exception {
    return Any.pack(AdsProxyTest.<Listener>json(Listener.newBuilder(), """
        {"name": "l", "address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}},
         "filter_chains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager",
           "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
             "stat_prefix": "l", "route_config": {"name": "r", "virtual_hosts": [{"name": "all", "domains": ["*"], "routes": [
               {"match": {"prefix": "/new"}, "route": {"cluster": "new"}},
               {"match": {"prefix": "/"}, "route": {"cluster": "svc"}}]}]},
             "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]}}]}]}"""));
  }

  String respond(String type, String version, Any... resources) {
    String n = "n" + nonce.incrementAndGet();
    stream.onNext(DiscoveryResponse.newBuilder().setTypeUrl(type).setVersionInfo(version).setNonce(n)
        .addAllResources(List.of(resources)).build());
    return n;
  }

  /** The requests that arrive until one matches (returned last); fails after 10 s. */
  List<DiscoveryRequest> until(java.util.function.Predicate<DiscoveryRequest> p) throws InterruptedException {
    List<DiscoveryRequest> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      DiscoveryRequest r = requests.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(r).as("a request matching the expectation; got %s", seen).isNotNull();
      seen.add(r);
      if (p.test(r)) {
        return seen;
      }
    }
  }

  static boolean ack(DiscoveryRequest r, String type, String nonce) {
    return r.getTypeUrl().equals(type) && r.getResponseNonce().equals(nonce) && !r.hasErrorDetail();
  }

  String get(String path) throws Exception {
    String resp = RawHttp.exchange(proxy.listenerPort("l"), "GET " + path + " HTTP/1.1\r\nHost: svc\r\n\r\n");
    String status = resp.substring(9, 12);
    String upstream = resp.lines().filter(l -> l.toLowerCase().startsWith("x-upstream:")).findFirst()
        .map(l -> l.substring(11).trim()).orElse("-");
    return status + " " + upstream;
  }

  String admin(String path) throws Exception {
    return RawHttp.exchange(proxy.adminPort(), "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
  }

  @Test
  void clustersWarmBeforeServingAndListenersWaitForThem() throws Exception {
    // Start-up: only CDS is asked for; LDS waits until the clusters are initialized.
    DiscoveryRequest first = until(r -> true).getFirst();
    assertThat(first.getTypeUrl()).isEqualTo(CDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> stream != null);
    String c1 = respond(CDS, "c1", cluster("svc", 1));
    List<DiscoveryRequest> seen = until(r -> ack(r, CDS, c1));
    // The EDS subscription for the new cluster goes out before the CDS ACK, as one request.
    assertThat(seen).filteredOn(r -> r.getTypeUrl().equals(EDS))
        .singleElement().satisfies(r -> assertThat(r.getResourceNamesList()).containsExactly("svc"));
    assertThat(seen).noneMatch(r -> r.getTypeUrl().equals(LDS));
    assertThat(admin("/stats")).contains("cluster_manager.warming_clusters: 1");
    assertThat(proxy.isReady()).isFalse();

    String e1 = respond(EDS, "e1", cla("svc", a.port()));
    seen = until(r -> r.getTypeUrl().equals(LDS));
    assertThat(seen).anyMatch(r -> ack(r, EDS, e1));
    respond(LDS, "l1", listener());
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.isReady() && proxy.listenerPort("l") > 0);
    assertThat(get("/x")).isEqualTo("200 a");

    // A new cluster and a route to it arrive together: until its assignment arrives the router
    // does not know it (503 NC, as Envoy), and it is listed as warming.
    String c2 = respond(CDS, "c2", cluster("svc", 1), cluster("new", 1));
    seen = until(r -> ack(r, CDS, c2));
    assertThat(seen).filteredOn(r -> r.getTypeUrl().equals(EDS))
        .singleElement().satisfies(r -> assertThat(r.getResourceNamesList()).containsExactly("new", "svc"));
    String resp = RawHttp.exchange(proxy.listenerPort("l"), "GET /new HTTP/1.1\r\nHost: svc\r\n\r\n");
    assertThat(resp).startsWith("HTTP/1.1 503");
    String dump = admin("/config_dump");
    assertThat(dump).contains("\"dynamicWarmingClusters\"", "\"dynamicActiveClusters\"");
    assertThat(dump.substring(dump.indexOf("\"dynamicWarmingClusters\""))).contains("\"name\": \"new\"");
    assertThat(admin("/stats")).contains("cluster_manager.warming_clusters: 1", "cluster_manager.cluster_added: 2");
    assertThat(admin("/clusters")).contains("svc::").doesNotContain("new::");
    assertThat(get("/x")).isEqualTo("200 a");

    respond(EDS, "e2", cla("new", b.port()));
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/new").equals("200 b"));
    assertThat(admin("/stats")).contains("cluster_manager.warming_clusters: 0", "cluster_manager.active_clusters: 3");

    // svc changes to read another assignment: its old version keeps serving (old endpoints)
    // until the new one is warm.
    String c3 = respond(CDS, "c3", cluster("svc", 2, "svc-v2"), cluster("new", 1));
    seen = until(r -> ack(r, CDS, c3));
    // (the ACK of e2 may come first)
    assertThat(seen).anySatisfy(r -> {
      assertThat(r.getTypeUrl()).isEqualTo(EDS);
      assertThat(r.getResourceNamesList()).containsExactly("new", "svc", "svc-v2");
    });
    assertThat(admin("/stats")).contains("cluster_manager.warming_clusters: 1", "cluster_manager.cluster_modified: 1");
    for (int i = 0; i < 5; i++) {
      assertThat(get("/x")).isEqualTo("200 a");
    }
    String e3 = respond(EDS, "e3", cla("svc-v2", b.port()));
    until(r -> ack(r, EDS, e3));
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/x").equals("200 b"));
    dump = admin("/config_dump");
    assertThat(dump).doesNotContain("\"dynamicWarmingClusters\"");
    assertThat(dump).contains("\"connectTimeout\": \"2s\"");

    // Changed settings, same assignment (held): active at once, as no server resends it then.
    String c4 = respond(CDS, "c4", cluster("svc", 3, "svc-v2"), cluster("new", 1));
    until(r -> ack(r, CDS, c4));
    assertThat(admin("/stats")).contains("cluster_manager.warming_clusters: 0", "cluster_manager.cluster_modified: 2");
    assertThat(admin("/config_dump")).contains("\"connectTimeout\": \"3s\"");
    assertThat(get("/x")).isEqualTo("200 b");
  }
}
