package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Timeouts, retries, fault injection, mirroring, CORS, circuit breaking, outlier detection and
 * pool settings, each with Istio's observable result, against real loopback upstreams.
 */
@Timeout(60)
class ResilienceProxyTest {
  static EchoUpstream a;
  static EchoUpstream b;
  static EchoUpstream shadow;
  static EchoUpstream bad;
  static EchoUpstream cb;
  static EchoUpstream pool;
  static SluiceProxy proxy;
  static int port;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    a = new EchoUpstream("a");
    b = new EchoUpstream("b");
    shadow = new EchoUpstream("shadow");
    bad = new EchoUpstream("bad");
    bad.forcedStatus = 503;
    cb = new EchoUpstream("cb");
    pool = new EchoUpstream("pool");
    //language=YAML
    String yaml = """
        static_resources:
          listeners:
          - name: http
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: in
                  http_filters:
                  - name: envoy.filters.http.fault
                    typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault}
                  - name: envoy.filters.http.cors
                    typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors}
                  - name: envoy.filters.http.router
                    typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      include_request_attempt_count: true
                      routes:
                      - match: {prefix: /ratings, headers: [{name: end-user, string_match: {exact: jason}}]}
                        route: {cluster: a, timeout: 0s}
                        typed_per_filter_config:
                          envoy.filters.http.fault:
                            "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                            delay: {fixed_delay: 7s, percentage: {numerator: 1000000, denominator: MILLION}}
                      - match: {prefix: /ratings}
                        route: {cluster: a, timeout: 0s}
                      - match: {prefix: /abort}
                        route: {cluster: a}
                        typed_per_filter_config:
                          envoy.filters.http.fault:
                            "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                            abort: {http_status: 500, percentage: {numerator: 100, denominator: HUNDRED}}
                      - match: {prefix: /half}
                        route: {cluster: a}
                        typed_per_filter_config:
                          envoy.filters.http.fault:
                            "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                            abort: {http_status: 503, percentage: {numerator: 500000, denominator: MILLION}}
                      - match: {prefix: /shortdelay}
                        route: {cluster: a}
                        typed_per_filter_config:
                          envoy.filters.http.fault:
                            "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                            delay: {fixed_delay: 0.2s, percentage: {numerator: 100}}
                      - match: {prefix: /grpcabort}
                        route: {cluster: a}
                        typed_per_filter_config:
                          envoy.filters.http.fault:
                            "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                            abort: {grpc_status: 14, percentage: {numerator: 100}}
                      - match: {prefix: /cb/}
                        route: {cluster: cb, timeout: 0s}
                      - match: {prefix: /mirror/}
                        route:
                          cluster: a
                          request_mirror_policies: [{cluster: shadow, runtime_fraction: {default_value: {numerator: 100}}}]
                      - match: {prefix: /outlier/}
                        route: {cluster: od}
                      - match: {prefix: /retry/}
                        route:
                          cluster: three
                          retry_policy:
                            retry_on: connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes
                            num_retries: 2
                            retry_host_predicate: [{name: envoy.retry_host_predicates.previous_hosts, typed_config: {"@type": type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate}}]
                            host_selection_retry_max_attempts: 5
                      - match: {prefix: /urx/}
                        route:
                          cluster: dead
                          retry_policy: {retry_on: connect-failure, num_retries: 2}
                      - match: {prefix: /retry503/}
                        route:
                          cluster: a
                          retry_policy: {retry_on: retriable-status-codes, retriable_status_codes: [503], num_retries: 2,
                                         retry_back_off: {base_interval: 0.025s}}
                      - match: {prefix: /timeout/}
                        route: {cluster: a, timeout: 0.2s}
                      - match: {prefix: /notimeout/}
                        route: {cluster: a, timeout: 0s}
                      - match: {prefix: /pertry/}
                        route:
                          cluster: a
                          timeout: 5s
                          retry_policy: {retry_on: 5xx, num_retries: 1, per_try_timeout: 0.1s}
                      - match: {prefix: /duration/}
                        route: {cluster: a, timeout: 0s, max_stream_duration: {max_stream_duration: 0.15s}}
                      - match: {prefix: /cors/}
                        route: {cluster: a}
                        typed_per_filter_config:
                          envoy.filters.http.cors:
                            "@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy
                            allow_origin_string_match: [{exact: "https://ok.example"}, {suffix: ".trusted.example"}]
                            allow_methods: GET,POST
                            allow_headers: x-a
                            expose_headers: x-e
                            max_age: "60"
                            allow_credentials: true
                      - match: {prefix: /pool/}
                        route: {cluster: pool}
          clusters:
          - name: a
            connect_timeout: 1s
            load_assignment: {cluster_name: a, endpoints: [{lb_endpoints: [%s]}]}
          - name: shadow
            connect_timeout: 1s
            load_assignment: {cluster_name: shadow, endpoints: [{lb_endpoints: [%s]}]}
          - name: cb
            connect_timeout: 1s
            circuit_breakers: {thresholds: [{max_connections: 1, max_pending_requests: 1, max_requests: 4294967295, max_retries: 4294967295}]}
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                common_http_protocol_options: {max_requests_per_connection: 1}
                explicit_http_config: {http_protocol_options: {}}
            load_assignment: {cluster_name: cb, endpoints: [{lb_endpoints: [%s]}]}
          - name: od
            connect_timeout: 1s
            outlier_detection: {consecutive_5xx: 5, interval: 0.1s, base_ejection_time: 3s, max_ejection_percent: 100}
            load_assignment: {cluster_name: od, endpoints: [{lb_endpoints: [%s, %s]}]}
          - name: three
            connect_timeout: 1s
            # Round robin: with LEAST_REQUEST the refusing host (never any active requests) wins every
            # pick it is sampled in, so now and then all five previous-hosts tries of both retries land
            # on it and the request fails, as it would in Envoy.
            lb_policy: ROUND_ROBIN
            circuit_breakers: {thresholds: [{max_connections: 4294967295, max_pending_requests: 4294967295, max_requests: 4294967295, max_retries: 4294967295}]}
            load_assignment: {cluster_name: three, endpoints: [{lb_endpoints: [%s, %s, %s]}]}
          - name: dead
            connect_timeout: 1s
            load_assignment: {cluster_name: dead, endpoints: [{lb_endpoints: [%s, %s]}]}
          - name: pool
            connect_timeout: 1s
            upstream_connection_options: {tcp_keepalive: {keepalive_time: 30, keepalive_interval: 5, keepalive_probes: 3}}
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                common_http_protocol_options: {max_requests_per_connection: 2, max_connection_duration: 60s, idle_timeout: 30s}
                explicit_http_config: {http_protocol_options: {}}
            load_assignment: {cluster_name: pool, endpoints: [{lb_endpoints: [%s]}]}
        """.formatted(ep(a.port()), ep(shadow.port()), ep(cb.port()), ep(a.port()), ep(bad.port()),
        ep(a.port()), ep(b.port()), ep(1), ep(1), ep(2), ep(pool.port()));
    proxy = SluiceProxy.start(ProxyOptions.ofYaml(yaml));
    port = proxy.listenerPort("http");
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  static String ep(int p) {
    return "{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: " + p + "}}}}";
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    for (EchoUpstream u : new EchoUpstream[] {a, b, shadow, bad, cb, pool}) {
      u.close();
    }
  }

  static HttpResponse<String> get(String path, String... headers) throws Exception {
    var rb = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      rb.header(headers[i], headers[i + 1]);
    }
    return client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
  }

  static long stat(String name) throws Exception {
    String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort()
        + "/stats?filter=" + name.replace("|", "%7C"))).build(), HttpResponse.BodyHandlers.ofString()).body();
    for (String line : body.split("\n")) {
      if (line.startsWith(name + ": ")) {
        return Long.parseLong(line.substring(name.length() + 2).trim());
      }
    }
    return 0;
  }

  static String admin(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  // ---- fault injection (Istio's fault-injection task) ----

  @Test
  void delayReachesOnlyJason() throws Exception {
    long before = stat("http.in.fault.delays_injected");
    try (Socket jason = new Socket("127.0.0.1", port)) {
      jason.getOutputStream().write(("GET /ratings/0 HTTP/1.1\r\nHost: ratings\r\nend-user: jason\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      jason.getOutputStream().flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> stat("http.in.fault.delays_injected") == before + 1);
      // Everyone else is served at once while jason's request waits out its 7 s delay.
      long t0 = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        assertThat(get("/ratings/" + i, "end-user", "mike").statusCode()).isEqualTo(200);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      assertThat(stat("http.in.fault.delays_injected")).isEqualTo(before + 1);
      assertThat(stat("http.in.fault.active_faults")).isEqualTo(1);
      assertThat(jason.getInputStream().available()).isZero();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> stat("http.in.fault.active_faults") == 0);
  }

  @Test
  void shortDelayInRealTime() throws Exception {
    long t0 = System.nanoTime();
    var r = get("/shortdelay");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void abortAtHundredPercentReturnsAtOnce() throws Exception {
    int before = a.requests.get();
    var r = get("/abort");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("fault filter abort");
    assertThat(a.requests.get()).isEqualTo(before);
    var g = get("/grpcabort");
    assertThat(g.statusCode()).isEqualTo(200);
    assertThat(g.headers().firstValue("grpc-status")).hasValue("14");
  }

  @Test
  void halfAbortWithinFivePercent() throws Exception {
    int aborted = 0;
    for (int i = 0; i < 2000; i++) {
      if (get("/half").statusCode() == 503) {
        aborted++;
      }
    }
    System.out.println("50% abort: " + aborted + " of 2000 aborted");
    assertThat(aborted).isBetween(900, 1100);
  }

  // ---- circuit breaking (Istio's circuit-breaking task) ----

  @Test
  void thirdConcurrentRequestOverflows() throws Exception {
    cb.forcedDelayMs = 300;
    try {
      long before = stat("cluster.cb.upstream_rq_pending_overflow");
      int seen = cb.requests.get();
      List<CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        if (i == 1) {
          // The first request holds the one connection (while it connects it is still pending).
          await().atMost(Duration.ofSeconds(5)).until(() -> cb.requests.get() == seen + 1);
        }
        fs.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cb/" + i)).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      List<Integer> codes = new ArrayList<>();
      for (var f : fs) {
        var r = f.get();
        codes.add(r.statusCode());
        if (r.statusCode() == 503) {
          assertThat(r.body()).isEqualTo(
              "upstream connect error or disconnect/reset before headers. reset reason: overflow");
        }
      }
      assertThat(codes).containsExactlyInAnyOrder(200, 200, 503);
      assertThat(stat("cluster.cb.upstream_rq_pending_overflow")).isEqualTo(before + 1);
    } finally {
      cb.forcedDelayMs = 0;
    }
  }

  @Test
  void fortioLikeLoad() throws Exception {
    int[] two = load(2, 20);
    int[] three = load(3, 30);
    System.out.printf("circuit breaking: -c 2 -n 40: 200=%d 503=%d; -c 3 -n 90: 200=%d 503=%d%n",
        two[0], two[1], three[0], three[1]);
    assertThat(two[0]).isGreaterThanOrEqualTo(two[1]);
    assertThat(three[1]).isPositive();
    assertThat(admin("/stats?filter=cluster.cb.circuit_breakers")).contains("circuit_breakers.default.rq_pending_open");
    assertThat(stat("cluster.cb.upstream_cx_overflow")).isPositive();
  }

  /** {@code clients} threads each sending {@code n} sequential requests; returns {200s, 503s}. */
  private static int[] load(int clients, int n) throws Exception {
    long before = stat("cluster.cb.upstream_rq_pending_overflow");
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger overflow = new AtomicInteger();
    ExecutorService ex = Executors.newFixedThreadPool(clients);
    List<Future<?>> fs = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      fs.add(ex.submit(() -> {
        HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < n; i++) {
          var r = own.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cb/get")).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            ok.incrementAndGet();
          } else {
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).endsWith("reset reason: overflow");
            overflow.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (var f : fs) {
      f.get();
    }
    ex.shutdown();
    assertThat(stat("cluster.cb.upstream_rq_pending_overflow") - before).isEqualTo(overflow.get());
    return new int[] {ok.get(), overflow.get()};
  }

  // ---- mirroring (Istio's mirroring task) ----

  @Test
  void mirrorsEveryRequestWithShadowAuthorityWithoutWaiting() throws Exception {
    shadow.forcedDelayMs = 2000;
    try {
      shadow.hosts.clear();
      int before = shadow.requests.get();
      long t0 = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        var r = get("/mirror/headers");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-upstream")).hasValue("a");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
      await().atMost(Duration.ofSeconds(5)).until(() -> shadow.requests.get() == before + 10);
      assertThat(shadow.hosts).hasSize(10).allMatch(h -> h.equals("127.0.0.1-shadow:" + port));
    } finally {
      shadow.forcedDelayMs = 0;
    }
  }

  // ---- outlier detection ----

  @Test
  void hostFailingFiveTimesIsEjectedAndReturns() throws Exception {
    int badBefore = bad.requests.get();
    // Round robin over the good and the bad host until the bad one answered 503 five times in a row.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      get("/outlier/x");
      return stat("cluster.od.outlier_detection.ejections_active") == 1;
    });
    assertThat(admin("/clusters")).contains("::health_flags::/failed_outlier_check");
    assertThat(bad.requests.get() - badBefore).isGreaterThanOrEqualTo(5);
    assertThat(stat("cluster.od.outlier_detection.ejections_enforced_consecutive_5xx")).isPositive();
    int badDuring = bad.requests.get();
    for (int i = 0; i < 20; i++) {
      assertThat(get("/outlier/x").statusCode()).isEqualTo(200);
    }
    assertThat(bad.requests.get()).isEqualTo(badDuring);
    // Back after base_ejection_time (3 s × 1 ejection, long enough that the 20 requests above fit
    // inside it on a loaded machine), on an interval tick.
    await().atMost(Duration.ofSeconds(8)).until(() -> !admin("/clusters").contains("/failed_outlier_check"));
    // The gauge follows the host's flag on the same xDS-thread tick, just after it: wait for it too.
    await().atMost(Duration.ofSeconds(5)).until(() -> stat("cluster.od.outlier_detection.ejections_active") == 0);
  }

  // ---- retries ----

  @Test
  void connectFailureOnOneOfThreeGivesNoClientErrors() throws Exception {
    ConcurrentHashMap<Integer, AtomicInteger> codes = new ConcurrentHashMap<>();
    ExecutorService ex = Executors.newFixedThreadPool(4);
    List<Future<?>> fs = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      fs.add(ex.submit(() -> {
        for (int i = 0; i < 75; i++) {
          codes.computeIfAbsent(get("/retry/x").statusCode(), k -> new AtomicInteger()).incrementAndGet();
        }
        return null;
      }));
    }
    for (var f : fs) {
      f.get();
    }
    ex.shutdown();
    System.out.println("one of three refusing: " + codes + ", retries " + stat("cluster.three.upstream_rq_retry")
        + ", retry overflow " + stat("cluster.three.upstream_rq_retry_overflow"));
    assertThat(codes.keySet()).containsExactly(200);
    assertThat(codes.get(200).get()).isEqualTo(300);
    assertThat(stat("cluster.three.upstream_rq_retry")).isPositive();
    assertThat(stat("cluster.three.upstream_cx_connect_fail")).isPositive();
  }

  @Test
  void exhaustedRetriesGiveUrx() throws Exception {
    long before = stat("cluster.dead.upstream_rq_retry_limit_exceeded");
    var r = get("/urx/x");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).endsWith("reset reason: connection failure");
    assertThat(stat("cluster.dead.upstream_rq_retry_limit_exceeded")).isEqualTo(before + 1);
    assertThat(stat("cluster.dead.upstream_rq_total")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void retriableStatusCodesWithAttemptCountAndBackoff() throws Exception {
    a.attemptCounts.clear();
    long backoffs = stat("cluster.a.upstream_rq_retry_backoff_exponential");
    var r = get("/retry503/status/503");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(List.copyOf(a.attemptCounts)).containsExactly("1", "2", "3");
    assertThat(stat("cluster.a.upstream_rq_retry_backoff_exponential")).isEqualTo(backoffs + 2);
  }

  // ---- timeouts ----

  @Test
  void routeTimeoutGives504() throws Exception {
    var r = get("/timeout/delay/2000");
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.body()).isEqualTo("upstream request timeout");
    var h = get("/notimeout/delay/2000", "x-envoy-upstream-rq-timeout-ms", "100");
    assertThat(h.statusCode()).isEqualTo(504);
    var ok = get("/timeout/headers");
    assertThat(ok.body()).contains("x-envoy-expected-rq-timeout-ms: 200");
  }

  @Test
  void perTryTimeoutRetriesThenTimesOut() throws Exception {
    long before = stat("cluster.a.upstream_rq_per_try_timeout");
    long t0 = System.nanoTime();
    // A raw client: java.net.http retries idempotent requests on its own.
    String r = RawHttp.exchange(port, "GET /pertry/delay/1000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(r).startsWith("HTTP/1.1 504").endsWith("upstream request timeout");
    assertThat(stat("cluster.a.upstream_rq_per_try_timeout")).isEqualTo(before + 2);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void maxStreamDuration() throws Exception {
    var r = get("/duration/delay/2000");
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.body()).isEqualTo("downstream duration timeout");
  }

  // ---- CORS ----

  @Test
  void corsPreflightAndSimpleRequests() throws Exception {
    int before = a.requests.get();
    var pre = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cors/x"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("origin", "https://ok.example").header("access-control-request-method", "POST").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(pre.statusCode()).isEqualTo(200);
    assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue("https://ok.example");
    assertThat(pre.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST");
    assertThat(pre.headers().firstValue("access-control-allow-headers")).hasValue("x-a");
    assertThat(pre.headers().firstValue("access-control-max-age")).hasValue("60");
    assertThat(pre.headers().firstValue("access-control-allow-credentials")).hasValue("true");
    assertThat(a.requests.get()).isEqualTo(before); // answered by the proxy
    var other = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cors/x"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("origin", "https://evil.example").header("access-control-request-method", "POST").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(a.requests.get()).isEqualTo(before + 1); // forwarded (forward_not_matching_preflights)
    var simple = get("/cors/y", "origin", "https://app.trusted.example");
    assertThat(simple.headers().firstValue("access-control-allow-origin")).hasValue("https://app.trusted.example");
    assertThat(simple.headers().firstValue("access-control-expose-headers")).hasValue("x-e");
    assertThat(get("/cors/y", "origin", "https://evil.example").headers().firstValue("access-control-allow-origin"))
        .isEmpty();
  }

  // ---- connection pool ----

  @Test
  void maxRequestsPerConnection() throws Exception {
    int cx = pool.connections.get();
    for (int i = 0; i < 6; i++) {
      assertThat(get("/pool/x").statusCode()).isEqualTo(200);
    }
    assertThat(pool.connections.get() - cx).isEqualTo(3);
    // Counted when the used-up connection closes, which may be just after the response arrived.
    await().atMost(java.time.Duration.ofSeconds(5)).until(() -> stat("cluster.pool.upstream_cx_max_requests") >= 3);
  }

  static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
