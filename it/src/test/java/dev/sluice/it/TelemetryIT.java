package dev.sluice.it;

import static dev.sluice.it.ConformanceFiles.bookinfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.controlplane.Sluiced;
import dev.sluice.dashboard.EmbeddedScraper;
import dev.sluice.dashboard.Graph;
import dev.sluice.dashboard.GraphReader;
import dev.sluice.dashboard.GraphView;
import dev.sluice.dashboard.PrometheusSource;
import dev.sluice.dashboard.ScrapeTarget;
import dev.sluice.dashboard.TrafficQuery;
import dev.sluice.platform.local.LocalPlatform;
import dev.sluice.translate.MeshTelemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Istio's observability end to end on the local platform: Bookinfo with reviews at 80/20 under a
 * bounded load loop, then Istio's standard metrics (every label, Istio's order), Kiali's graph from
 * the embedded window and from a real Prometheus discovering the proxies through sluiced's HTTP SD,
 * a trace in a real Zipkin server, Istio's access log, and the dashboard in headless Chromium. Runs
 * its own mesh (telemetry settings and a dashboard of its own).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TelemetryIT {
  static final String PP = "app:default/productpage/v1";
  static final String REVIEWS_V1 = "app:default/reviews/v1";
  static final String REVIEWS_V2 = "app:default/reviews/v2";
  /**
   * Requests in the load loop: reviews v1's share (80 %) has a standard deviation of 1.4 % at this
   * count, so ± 5 % holds but for a 1-in-2,000 run.
   */
  static final int REQUESTS = 800;

  /** Istio's HTTP label set, in its order (istio/proxy testdata client_request_total.yaml.tmpl). */
  static final List<String> HTTP_LABELS = List.of("reporter", "source_workload", "source_canonical_service",
      "source_canonical_revision", "source_workload_namespace", "source_principal", "source_app", "source_version",
      "source_cluster", "destination_workload", "destination_workload_namespace", "destination_principal",
      "destination_app", "destination_version", "destination_service", "destination_canonical_service",
      "destination_canonical_revision", "destination_service_name", "destination_service_namespace",
      "destination_cluster", "request_protocol", "response_code", "grpc_response_status", "response_flags",
      "connection_security_policy");
  /** TCP metrics: the same without response_code and grpc_response_status. */
  static final List<String> TCP_LABELS = HTTP_LABELS.stream()
      .filter(l -> !l.equals("response_code") && !l.equals("grpc_response_status")).toList();

  static Sluiced cp;
  static LocalPlatform platform;
  static @Nullable Process zipkin;
  static int zipkinPort;
  static @Nullable Process prometheus;
  static @Nullable URI prometheusUrl;
  static Path dir;
  static MeshTelemetry before;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void startMeshAndLoad() throws Exception {
    dir = Files.createTempDirectory("sluice-telemetry-it");
    // The real collectors start first (Zipkin takes 5-20 s), in parallel with the mesh.
    zipkin = ExternalPrograms.startZipkin(dir);
    if (zipkin != null) {
      zipkinPort = Integer.parseInt(Files.readString(dir.resolve("zipkin.port")).trim());
    }
    before = MeshTelemetry.inUse();
    // Access logs to each proxy's stdout, which the platform keeps per pod (sluice logs POD -c istio-proxy).
    MeshTelemetry telemetry = MeshTelemetry.DEFAULT.withAccessLog("/dev/stdout", false)
        .withProxyStdoutDir(dir.resolve("proxy-logs").toString())
        .withTracer(new MeshTelemetry.Tracer(MeshTelemetry.Tracer.Kind.ZIPKIN,
            "zipkin.istio-system.svc.cluster.local", 9411, "/api/v2/spans"));
    cp = Sluiced.start(Sluiced.Options.ephemeral().withDashboard(0, null, Duration.ofSeconds(1))
        .withTelemetry(telemetry));
    platform = LocalPlatform.start(cp, LocalPlatform.Options.ephemeral()
        .withEvents(line -> System.out.println("[telemetry-mesh] " + line)));
    prometheus = ExternalPrograms.startPrometheus(dir, "http://127.0.0.1:" + cp.httpPort() + "/debug/prometheus_sd");
    if (prometheus != null) {
      prometheusUrl = URI.create(Files.readString(dir.resolve("prometheus.url")).trim());
    }
    Path net = bookinfo("networking");
    apply(bookinfo("platform/kube/bookinfo.yaml"), net.resolve("bookinfo-gateway.yaml"),
        net.resolve("destination-rule-all.yaml"), net.resolve("virtual-service-all-v1.yaml"),
        net.resolve("virtual-service-reviews-80-20.yaml"));
    if (zipkin != null) {
      platform.apply("zipkin", zipkinServiceEntry(zipkinPort));
    }
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      var pods = platform.podReadiness().entrySet().stream().filter(e -> e.getKey().startsWith("default/")).toList();
      return pods.size() >= 6 && pods.stream().allMatch(Map.Entry::getValue);
    });
    // Until the 80/20 rule is everywhere: pages with black stars (v2) and none with red (v3).
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ZERO)
        .until(() -> get(platform.gatewayUrl() + "/productpage").statusCode() == 200);
    if (prometheus != null) {
      // Prometheus has found every proxy through the SD before the counted traffic starts.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> activeTargets(prometheusUrl) >= cp.scrapeTargets().size());
    }
    Instant loadStart = Instant.now();
    for (int i = 0; i < REQUESTS && Duration.between(loadStart, Instant.now()).toSeconds() < 120; i++) {
      get(platform.gatewayUrl() + "/productpage");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (platform != null) {
      platform.close();
    }
    if (cp != null) {
      cp.close();
    }
    MeshTelemetry.use(before);
    ExternalPrograms.stop(zipkin);
    ExternalPrograms.stop(prometheus);
  }

  static void apply(Path... files) throws Exception {
    for (Path f : files) {
      platform.apply(f.getFileName().toString(), Files.readString(f));
    }
  }

  /** Istio's Zipkin address, {@code zipkin.istio-system:9411}, served by the real Zipkin outside the mesh. */
  static String zipkinServiceEntry(int port) {
    //language=YAML
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: zipkin, namespace: istio-system}
        spec:
          hosts: [zipkin.istio-system.svc.cluster.local]
          location: MESH_EXTERNAL
          resolution: STATIC
          ports: [{number: 9411, name: http-zipkin, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http-zipkin: %d}}]
        """.formatted(port);
  }

  static HttpResponse<String> get(String url, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(url + ": " + e, e);
    }
  }

  static Graph embeddedGraph() {
    EmbeddedScraper window = cp.embeddedMetrics().orElseThrow();
    window.scrapeOnce();
    return new GraphReader(window).graph(GraphView.VERSIONED_APP,
        new TrafficQuery(Duration.ofMinutes(5), window.now(), Set.of("default")));
  }

  /** reviews v1's share of productpage → reviews, in %. */
  static double v1Share(Graph g) {
    double v1 = g.edge(PP, REVIEWS_V1).orElseThrow().rps();
    double v2 = g.edge(PP, REVIEWS_V2).orElseThrow().rps();
    return 100 * v1 / (v1 + v2);
  }

  static void assertBookinfoEdges(Graph g) {
    assertThat(g.edges()).extracting(Graph.Edge::id).contains(PP + "->app:default/details/v1",
        PP + "->" + REVIEWS_V1, PP + "->" + REVIEWS_V2, REVIEWS_V2 + "->app:default/ratings/v1",
        "app:istio-system/istio-ingressgateway/latest->" + PP);
    assertThat(g.edges()).extracting(Graph.Edge::id).doesNotContain(PP + "->app:default/reviews/v3",
        REVIEWS_V1 + "->app:default/ratings/v1");
    assertThat(v1Share(g)).as("reviews v1's share of productpage's reviews requests").isCloseTo(80, within(5.0));
    assertThat(g.edge(PP, REVIEWS_V1).orElseThrow().serviceSharePercent()).isCloseTo(80, within(5.0));
    assertThat(g.edge(PP, REVIEWS_V2).orElseThrow().p95Millis()).isNotNull().isPositive();
  }

  @Test
  void theEmbeddedWindowGivesKialisGraphAt8020() {
    Graph g = embeddedGraph();
    assertBookinfoEdges(g);
    // The dashboard's API serves the same graph.
    HttpResponse<String> api = get(cp.dashboardUrl().orElseThrow() + "api/graph?namespace=default&window=5m");
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body()).contains(PP + "->" + REVIEWS_V2);
  }

  @Test
  void aRealPrometheusFindsTheProxiesThroughSluicedAndAnswersKialisQueries() throws Exception {
    ExternalPrograms.require(prometheus, "prometheus");
    GraphReader fromPrometheus = new GraphReader(new PrometheusSource(prometheusUrl));
    // Prometheus scrapes every second; wait until it has the whole load loop and every edge the
    // embedded window has (a series a proxy created just after Prometheus's last scrape of it
    // shows up one scrape later).
    long expected = Math.round(REQUESTS * 0.8 * 0.95);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
      Graph g = fromPrometheus.graph(GraphView.VERSIONED_APP,
          new TrafficQuery(Duration.ofMinutes(5), Instant.now(), Set.of("default")));
      return g.edge(PP, REVIEWS_V1).isPresent() && g.edge(PP, REVIEWS_V2).isPresent()
          && promCount("reviews", "v1") + promCount("reviews", "v2") >= expected
          && shares(g).keySet().equals(shares(embeddedGraph()).keySet());
    });
    Graph p = fromPrometheus.graph(GraphView.VERSIONED_APP,
        new TrafficQuery(Duration.ofMinutes(5), Instant.now(), Set.of("default")));
    assertBookinfoEdges(p);
    Graph e = embeddedGraph();
    Map<String, Double> fromProm = shares(p);
    Map<String, Double> fromWindow = shares(e);
    assertThat(fromProm.keySet()).isEqualTo(fromWindow.keySet());
    fromProm.forEach((id, share) -> assertThat(share).as(id).isCloseTo(fromWindow.get(id), within(5.0)));
  }

  /** The total of reviews' version requests productpage reported, from Prometheus. */
  private static double promCount(String app, String version) throws Exception {
    String q = "sum(istio_requests_total{reporter=\"source\",source_canonical_service=\"productpage\","
        + "destination_canonical_service=\"" + app + "\",destination_canonical_revision=\"" + version + "\"})";
    JsonNode r = new ObjectMapper().readTree(get(prometheusUrl + "/api/v1/query?query="
        + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8)).body());
    JsonNode result = r.path("data").path("result");
    return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
  }

  private static Map<String, Double> shares(Graph g) {
    Map<String, Double> out = new TreeMap<>();
    g.edges().forEach(x -> out.put(x.id(), x.sharePercent()));
    return out;
  }

  private static final Pattern SAMPLE = Pattern.compile("^(istio_[a-z_]+)\\{(.*)}\\s+\\S+.*$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  @Test
  void everyIstioSeriesCarriesIstiosLabelsInIstiosOrder() {
    List<ScrapeTarget> targets = cp.scrapeTargets();
    assertThat(targets).hasSizeGreaterThanOrEqualTo(7); // 6 Bookinfo pods and the ingress gateway
    Set<String> metrics = new java.util.TreeSet<>();
    List<Map<String, String>> requests = new ArrayList<>();
    for (ScrapeTarget t : targets) {
      String text = get(t.url().toString()).body();
      for (String line : text.split("\n")) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
          continue;
        }
        String metric = m.group(1);
        metrics.add(metric.replaceAll("_(bucket|sum|count)$", ""));
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
        List<String> names = new ArrayList<>(labels.keySet());
        if (metric.endsWith("_bucket")) {
          assertThat(names.removeLast()).as(line).isEqualTo("le");
        }
        assertThat(names).as(t.pod() + ": " + line).isEqualTo(metric.startsWith("istio_tcp_") ? TCP_LABELS
            : HTTP_LABELS);
        // Every label has a value ("unknown" when none), except Istio's empty grpc_response_status on HTTP.
        labels.forEach((k, v) -> assertThat(v.isEmpty() && !(k.equals("grpc_response_status")
            && "http".equals(labels.get("request_protocol")))).as(t.pod() + " " + k + " in " + line).isFalse());
        if (metric.equals("istio_requests_total")) {
          requests.add(labels);
        }
      }
    }
    assertThat(metrics).contains("istio_requests_total", "istio_request_duration_milliseconds",
        "istio_request_bytes", "istio_response_bytes");
    // Peer metadata: both reporters know both sides of productpage -> reviews v2.
    for (String reporter : List.of("source", "destination")) {
      assertThat(requests).as(reporter).anySatisfy(l -> assertThat(l).containsEntry("reporter", reporter)
          .containsEntry("source_workload", "productpage-v1").containsEntry("source_canonical_service", "productpage")
          .containsEntry("source_canonical_revision", "v1").containsEntry("source_workload_namespace", "default")
          // Principals come from mTLS peer certificates only, as in Istio; plaintext here.
          .containsEntry("source_principal", "unknown")
          .containsEntry("source_app", "productpage").containsEntry("source_version", "v1")
          .containsEntry("destination_workload", "reviews-v2").containsEntry("destination_canonical_service", "reviews")
          .containsEntry("destination_canonical_revision", "v2")
          .containsEntry("destination_principal", "unknown").containsEntry("destination_service_namespace", "default")
          .containsEntry("destination_service_name", "reviews").containsEntry("request_protocol", "http")
          // The destination reporter reads the FQDN from the inbound cluster's istio services metadata.
          .containsEntry("destination_service", "reviews.default.svc.cluster.local")
          .containsEntry("response_code", "200"));
    }
    // The gateway reports as source, with its own identity.
    assertThat(requests).anySatisfy(l -> assertThat(l).containsEntry("reporter", "source")
        .containsEntry("source_canonical_service", "istio-ingressgateway")
        .containsEntry("destination_canonical_service", "productpage"));
  }

  @Test
  void prometheusServiceDiscoveryListsEveryProxy() throws Exception {
    JsonNode sd = new ObjectMapper().readTree(get("http://127.0.0.1:" + cp.httpPort() + "/debug/prometheus_sd").body());
    Map<String, JsonNode> byPod = new HashMap<>();
    sd.forEach(g -> byPod.put(g.path("labels").path("pod").asText(), g));
    assertThat(byPod).hasSize(cp.scrapeTargets().size());
    JsonNode reviews = byPod.entrySet().stream().filter(e -> e.getKey().startsWith("reviews-v2-")).findFirst()
        .orElseThrow().getValue();
    assertThat(reviews.path("labels").path("namespace").asText()).isEqualTo("default");
    assertThat(reviews.path("labels").path("app").asText()).isEqualTo("reviews");
    assertThat(reviews.path("labels").path("__metrics_path__").asText()).isEqualTo("/stats/prometheus");
    String target = reviews.path("targets").get(0).asText();
    assertThat(get("http://" + target + "/stats/prometheus").body()).contains("istio_requests_total{");
  }

  @Test
  void eachSidecarsAccessLogUsesIstiosTextFormat() throws Exception {
    String productpage = platform.resolvePod("default", "productpage-v1").orElseThrow();
    String details = platform.resolvePod("default", "details-v1").orElseThrow();
    String api = "http://127.0.0.1:" + cp.httpPort() + "/platform/pods/default/";
    String[] log = {""};
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      log[0] = get(api + productpage + "/logs?container=istio-proxy").body();
      return log[0].contains("\"GET /productpage HTTP/1.1\" 200") && log[0].contains("\"GET /details/0 HTTP/1.1\" 200");
    });
    String line = log[0].lines().filter(l -> l.contains("\"GET /productpage HTTP/1.1\" 200")).findFirst().orElseThrow();
    // [start] "GET /productpage HTTP/1.1" 200 - via_upstream - "-" 0 5289 12 11 "ip" "ua" "id" "host" "upstream" cluster ...
    assertThat(line).matches("^\\[\\d{4}-\\d\\d-\\d\\dT[^]]+] \"GET /productpage HTTP/1\\.1\" 200 - \\S+ \\S+ \"[^\"]*\" "
        + "\\d+ \\d+ \\d+ \\S+ \"[^\"]*\" \"[^\"]*\" \"[0-9a-f-]{36}\" \"[^\"]+\" \"127\\.0\\.0\\.1:\\d+\" "
        + "\\S+ .*$");
    // Each sidecar logs its own requests only.
    String detailsLog = get(api + details + "/logs?container=istio-proxy").body();
    assertThat(detailsLog).contains("\"GET /details/0 HTTP/1.1\" 200").doesNotContain("GET /productpage");
    assertThat(get(api + details + "/logs?container=nope").statusCode()).isEqualTo(400);
  }

  @Test
  void aTraceReachesARealZipkinWithParentChildLinks() throws Exception {
    ExternalPrograms.require(zipkin, "the Zipkin server jar");
    URI z = URI.create("http://127.0.0.1:" + zipkinPort);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> get(z + "/health").statusCode() == 200);
    // The sampling decision travels with the request (mesh sampling is Istio's 1 %). Only reviews v2 and v3
    // call ratings: send traced requests until one is served by v2 (black stars, 20 % of them).
    String traceId = null;
    for (int i = 0; i < 60 && traceId == null; i++) {
      String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
          + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
      HttpResponse<String> page = get(platform.gatewayUrl() + "/productpage", "x-b3-traceid", id,
          "x-b3-spanid", id.substring(16), "x-b3-sampled", "1");
      assertThat(page.statusCode()).isEqualTo(200);
      if (Bookinfo.stars(page.body()) == Bookinfo.Stars.BLACK) {
        traceId = id;
      }
    }
    assertThat(traceId).as("a page served by reviews v2 in 60 tries").isNotNull();
    String trace = traceId;
    JsonNode[] spans = {null};
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
      HttpResponse<String> r = get(z + "/api/v2/trace/" + trace);
      if (r.statusCode() != 200) {
        return false;
      }
      spans[0] = new ObjectMapper().readTree(r.body());
      return services(spans[0]).containsAll(Set.of("istio-ingressgateway.istio-system", "productpage.default",
          "details.default", "reviews.default", "ratings.default"));
    });
    Map<String, JsonNode> byId = new HashMap<>();
    spans[0].forEach(s -> byId.put(s.path("id").asText(), s));
    for (JsonNode s : spans[0]) {
      assertThat(s.path("traceId").asText()).isEqualTo(trace);
      String parent = s.path("parentId").asText("");
      // Every span hangs off another span of the trace, or off the client's span id sent above.
      assertThat(parent.isEmpty() || byId.containsKey(parent) || parent.equals(trace.substring(16)))
          .as("parent of %s", s).isTrue();
    }
    // ratings' server span descends from reviews, productpage and the gateway, in that order.
    JsonNode ratings = null;
    for (JsonNode s : spans[0]) {
      if (s.path("localEndpoint").path("serviceName").asText().equals("ratings.default")
          && s.path("kind").asText().equals("SERVER")) {
        ratings = s;
      }
    }
    assertThat(ratings).as("ratings' SERVER span").isNotNull();
    List<String> ancestry = new ArrayList<>();
    for (JsonNode s = ratings; s != null; s = byId.get(s.path("parentId").asText(""))) {
      String svc = s.path("localEndpoint").path("serviceName").asText();
      if (ancestry.isEmpty() || !ancestry.getLast().equals(svc)) {
        ancestry.add(svc);
      }
    }
    assertThat(ancestry).containsSubsequence("ratings.default", "reviews.default", "productpage.default",
        "istio-ingressgateway.istio-system");
    // details is a child of productpage too.
    assertThat(spans[0]).anySatisfy(s -> {
      assertThat(s.path("localEndpoint").path("serviceName").asText()).isEqualTo("details.default");
      JsonNode parent = byId.get(s.path("parentId").asText(""));
      assertThat(parent).isNotNull();
      assertThat(parent.path("localEndpoint").path("serviceName").asText()).isIn("productpage.default",
          "details.default");
    });
  }

  @Test
  void theDashboardShowsTheMeshsGraphInChromium(@TempDir Path profile) throws Exception {
    boolean installed = ExternalPrograms.present(ExternalPrograms.CHROMIUM)
        && ExternalPrograms.present(ExternalPrograms.CHROMEDRIVER);
    ExternalPrograms.require(installed ? Boolean.TRUE : null, "chromium and chromedriver");
    cp.embeddedMetrics().orElseThrow().scrapeOnce();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(ExternalPrograms.CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1400,950");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(ExternalPrograms.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    try {
      String v1 = PP + "->" + REVIEWS_V1;
      String v2 = PP + "->" + REVIEWS_V2;
      driver.get(cp.dashboardUrl().orElseThrow() + "?namespace=default&window=5m");
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      JavascriptExecutor js = driver;
      wait.until(d -> Boolean.TRUE.equals(js.executeScript("return !!window.sluiceGraph && "
          + "window.sluiceGraph.getElementById(arguments[0]).length > 0 && "
          + "window.sluiceGraph.getElementById(arguments[1]).length > 0", v1, v2)));
      @SuppressWarnings("unchecked")
      Map<String, String> labels = (Map<String, String>) js.executeScript(
          "const m = {}; window.sluiceGraph.edges().forEach(e => m[e.id()] = e.data('label')); return m;");
      // "0.41 rps  32%\n80% of reviews\np95 14.1ms": the second line is the VirtualService's split.
      assertThat(percentOfReviews(labels.get(v1))).as(labels.get(v1)).isBetween(75, 85);
      assertThat(percentOfReviews(labels.get(v2))).as(labels.get(v2)).isBetween(15, 25);
      assertThat(labels).containsKeys(PP + "->app:default/details/v1", REVIEWS_V2 + "->app:default/ratings/v1");

      @SuppressWarnings("unchecked")
      Map<String, Number> mid = (Map<String, Number>) js.executeScript(
          "return window.sluiceGraph.getElementById(arguments[0]).renderedMidpoint();", v2);
      WebElement canvas = driver.findElement(By.id("cy"));
      int dx = (int) Math.round(mid.get("x").doubleValue() - canvas.getSize().getWidth() / 2.0);
      int dy = (int) Math.round(mid.get("y").doubleValue() - canvas.getSize().getHeight() / 2.0);
      new Actions(driver).moveToElement(canvas, dx, dy).click().perform();
      wait.until(d -> d.findElements(By.id("details-title")).stream().anyMatch(t -> t.getText().contains(v2)));
      assertThat(driver.findElement(By.id("details")).getText())
          .contains("Requests/s by response code", "p95 latency", "200");

      Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
      Path target = Path.of("target", "dashboard-bookinfo-mesh.png");
      Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
      assertThat(Files.size(target)).isGreaterThan(10_000);
      if (Boolean.getBoolean("screenshot.update")) {
        Path docs = Path.of(System.getProperty("sluice.root", "..")).resolve("docs/images/dashboard-bookinfo.png");
        Files.copy(shot, docs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      driver.quit();
    }
  }

  private static int percentOfReviews(String label) {
    Matcher m = Pattern.compile("(\\d+)(?:\\.\\d+)?% of (?:default/)?reviews").matcher(label == null ? "" : label);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static Set<String> services(JsonNode spans) {
    Set<String> out = new java.util.TreeSet<>();
    spans.forEach(s -> out.add(s.path("localEndpoint").path("serviceName").asText()));
    return out;
  }

  static int activeTargets(URI prom) throws Exception {
    JsonNode r = new ObjectMapper().readTree(get(prom + "/api/v1/targets?state=active").body());
    int up = 0;
    for (JsonNode t : r.path("data").path("activeTargets")) {
      if (t.path("health").asText().equals("up")) {
        up++;
      }
    }
    return up;
  }
}
