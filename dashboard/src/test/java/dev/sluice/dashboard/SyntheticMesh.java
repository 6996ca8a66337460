package dev.sluice.dashboard;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * In-test proxies: one HTTP exporter per pod serving {@code /stats/prometheus} with Istio's
 * standard metrics for a fixed traffic pattern, counters = rate × elapsed seconds (from a fake or
 * real clock). Each source pod reports {@code reporter="source"}, each destination pod
 * {@code reporter="destination"}, with every label in Istio's order.
 */
final class SyntheticMesh implements AutoCloseable {
  static final double[] BUCKETS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
      300000, 600000, 1800000, 3600000};

  /** A workload: pod name, namespace, app, version. */
  record Workload(String pod, String namespace, String app, String version) {
    String workload() {
      return version.isEmpty() ? app : app + "-" + version;
    }
  }

  /** Traffic from one workload to another service's workload: requests/s per code and latency. */
  record Flow(Workload from, Workload to, String service, Map<String, Double> rpsByCode, double latencyMs) {}

  static final Workload INGRESS = new Workload("istio-ingressgateway-1", "istio-system", "istio-ingressgateway", "");
  static final Workload PRODUCTPAGE = new Workload("productpage-v1-1", "bookinfo", "productpage", "v1");
  static final Workload DETAILS = new Workload("details-v1-1", "bookinfo", "details", "v1");
  static final Workload REVIEWS_V1 = new Workload("reviews-v1-1", "bookinfo", "reviews", "v1");
  static final Workload REVIEWS_V2 = new Workload("reviews-v2-1", "bookinfo", "reviews", "v2");
  static final Workload RATINGS = new Workload("ratings-v1-1", "bookinfo", "ratings", "v1");

  /** Bookinfo with virtual-service-reviews-80-20: productpage → reviews v1 80 %, v2 20 %. */
  static List<Flow> bookinfo8020() {
    return List.of(
        new Flow(INGRESS, PRODUCTPAGE, "productpage", Map.of("200", 10.0), 30),
        new Flow(PRODUCTPAGE, DETAILS, "details", Map.of("200", 10.0), 3),
        new Flow(PRODUCTPAGE, REVIEWS_V1, "reviews", Map.of("200", 8.0), 7),
        new Flow(PRODUCTPAGE, REVIEWS_V2, "reviews", Map.of("200", 2.0), 20),
        new Flow(REVIEWS_V2, RATINGS, "ratings", Map.of("200", 1.96, "503", 0.04), 2));
  }

  private final List<Flow> flows;
  private final DoubleSupplier seconds;
  private final Map<Workload, HttpServer> servers = new LinkedHashMap<>();

  SyntheticMesh(List<Flow> flows, DoubleSupplier seconds) throws IOException {
    this.flows = flows;
    this.seconds = seconds;
    for (Flow f : flows) {
      for (Workload w : List.of(f.from(), f.to())) {
        if (!servers.containsKey(w)) {
          HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
          s.createContext("/stats/prometheus", ex -> {
            byte[] body = page(w).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          });
          s.start();
          servers.put(w, s);
        }
      }
    }
  }

  List<ScrapeTarget> targets() {
    List<ScrapeTarget> out = new ArrayList<>();
    servers.forEach((w, s) -> out.add(new ScrapeTarget(
        URI.create("http://127.0.0.1:" + s.getAddress().getPort() + "/stats/prometheus"), w.pod(), w.namespace(),
        w.app())));
    return out;
  }

  /** The exposition page of workload {@code w} now. */
  String page(Workload w) {
    double t = seconds.getAsDouble();
    StringBuilder sb = new StringBuilder();
    sb.append("# HELP istio_requests_total Total requests.\n# TYPE istio_requests_total counter\n");
    for (Flow f : flows) {
      for (String reporter : List.of("source", "destination")) {
        if ((reporter.equals("source") ? f.from() : f.to()) != w) {
          continue;
        }
        f.rpsByCode().forEach((code, rps) ->
            sb.append("istio_requests_total{").append(labels(f, reporter, code)).append("} ").append(rps * t).append('\n'));
      }
    }
    sb.append("# TYPE istio_request_duration_milliseconds histogram\n");
    for (Flow f : flows) {
      for (String reporter : List.of("source", "destination")) {
        if ((reporter.equals("source") ? f.from() : f.to()) != w) {
          continue;
        }
        for (Map.Entry<String, Double> c : f.rpsByCode().entrySet()) {
          double n = c.getValue() * t;
          String l = labels(f, reporter, c.getKey());
          for (double le : BUCKETS) {
            sb.append("istio_request_duration_milliseconds_bucket{").append(l).append(",le=\"").append(fmtLe(le))
                .append("\"} ").append(le >= f.latencyMs() ? n : 0).append('\n');
          }
          sb.append("istio_request_duration_milliseconds_bucket{").append(l).append(",le=\"+Inf\"} ").append(n).append('\n');
          sb.append("istio_request_duration_milliseconds_sum{").append(l).append("} ").append(n * f.latencyMs()).append('\n');
          sb.append("istio_request_duration_milliseconds_count{").append(l).append("} ").append(n).append('\n');
        }
      }
    }
    return sb.toString();
  }

  private static String fmtLe(double le) {
    return le == Math.rint(le) ? String.valueOf((long) le) : String.valueOf(le);
  }

  private static String labels(Flow f, String reporter, String code) {
    Workload s = f.from();
    Workload d = f.to();
    String sv = s.version().isEmpty() ? "unknown" : s.version();
    String dv = d.version().isEmpty() ? "unknown" : d.version();
    String host = f.service() + "." + d.namespace() + ".svc.cluster.local";
    return "reporter=\"" + reporter + "\",source_workload=\"" + s.workload() + "\",source_canonical_service=\""
        + s.app() + "\",source_canonical_revision=\"" + (s.version().isEmpty() ? "latest" : sv)
        + "\",source_workload_namespace=\"" + s.namespace() + "\",source_principal=\"spiffe://cluster.local/ns/"
        + s.namespace() + "/sa/" + s.app() + "\",source_app=\"" + s.app() + "\",source_version=\"" + sv
        + "\",source_cluster=\"Kubernetes\",destination_workload=\"" + d.workload()
        + "\",destination_workload_namespace=\"" + d.namespace() + "\",destination_principal=\"spiffe://cluster.local/ns/"
        + d.namespace() + "/sa/" + d.app() + "\",destination_app=\"" + d.app() + "\",destination_version=\"" + dv
        + "\",destination_service=\"" + host + "\",destination_canonical_service=\"" + d.app()
        + "\",destination_canonical_revision=\"" + dv + "\",destination_service_name=\"" + f.service()
        + "\",destination_service_namespace=\"" + d.namespace() + "\",destination_cluster=\"Kubernetes\""
        + ",request_protocol=\"http\",response_code=\"" + code + "\",grpc_response_status=\"\",response_flags=\"-\""
        + ",connection_security_policy=\"" + (reporter.equals("destination") ? "mutual_tls" : "unknown") + "\"";
  }

  @Override
  public void close() {
    servers.values().forEach(s -> s.stop(0));
  }
}
