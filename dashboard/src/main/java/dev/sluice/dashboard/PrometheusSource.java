package dev.sluice.dashboard;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link MetricsSource} over a real Prometheus's HTTP API ({@code /api/v1/query}), running
 * Kiali's graph queries (reference A3.2):
 * <pre>{@code
 * sum(rate(istio_requests_total{reporter="source",source_workload_namespace="bookinfo"}[300s])) by (source_workload_namespace,…,response_flags) > 0
 * histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket{…}[300s])) by (le,…))
 * }</pre>
 * one per selection of {@link GraphQueries}; a series answered by two selections is counted once.
 */
public final class PrometheusSource implements MetricsSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;

  /** @param base Prometheus's address, e.g. {@code http://127.0.0.1:9090} */
  public PrometheusSource(URI base) {
    this.base = requireNonNull(base, "base");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /** The PromQL of the request-rate queries for {@code q}, as sent (visible for docs and tests). */
  static List<String> requestQueries(TrafficQuery q) {
    String by = String.join(",", IstioLabels.GRAPH_GROUP_BY);
    List<String> out = new ArrayList<>();
    for (String m : GraphQueries.matchers(q.namespaces())) {
      out.add("sum(rate(" + IstioLabels.REQUESTS_TOTAL + "{" + m + "}[" + q.window().toSeconds() + "s])) by ("
          + by + ") > 0");
    }
    return out;
  }

  static List<String> latencyQueries(TrafficQuery q, double quantile, List<String> groupBy) {
    String by = String.join(",", groupBy);
    List<String> out = new ArrayList<>();
    for (String m : GraphQueries.matchers(q.namespaces())) {
      out.add("histogram_quantile(" + quantile + ", sum(rate(" + IstioLabels.DURATION_BUCKET + "{" + m + "}["
          + q.window().toSeconds() + "s])) by (le," + by + "))");
    }
    return out;
  }

  @Override
  public List<TrafficSample> requests(TrafficQuery q) {
    Map<Map<String, String>, Double> byLabels = new LinkedHashMap<>();
    for (String promql : requestQueries(q)) {
      query(promql, q).forEach(byLabels::putIfAbsent);
    }
    List<TrafficSample> out = new ArrayList<>();
    byLabels.forEach((labels, v) -> {
      if (v > 0) {
        out.add(new TrafficSample(complete(labels, IstioLabels.GRAPH_GROUP_BY), v));
      }
    });
    return out;
  }

  @Override
  public List<LatencySample> latency(TrafficQuery q, double quantile, List<String> groupBy) {
    Map<Map<String, String>, Double> byLabels = new LinkedHashMap<>();
    for (String promql : latencyQueries(q, quantile, groupBy)) {
      query(promql, q).forEach(byLabels::putIfAbsent);
    }
    List<LatencySample> out = new ArrayList<>();
    byLabels.forEach((labels, v) -> {
      if (!Double.isNaN(v)) {
        out.add(new LatencySample(complete(labels, groupBy), v));
      }
    });
    return out;
  }

  /** Prometheus drops labels whose value is empty; Kiali skips such series, we read them as unknown. */
  private static Map<String, String> complete(Map<String, String> labels, List<String> keys) {
    Map<String, String> out = new HashMap<>();
    for (String k : keys) {
      out.put(k, labels.getOrDefault(k, IstioLabels.UNKNOWN));
    }
    return out;
  }

  private Map<Map<String, String>, Double> query(String promql, TrafficQuery q) {
    double time = q.at().toEpochMilli() / 1000.0;
    URI uri = base.resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + "&time=" + time);
    JsonNode body;
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      body = JSON.readTree(r.body());
      if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new PrometheusException("Prometheus " + base + ": HTTP " + r.statusCode() + " "
            + body.path("error").asText("") + " for " + promql);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Prometheus " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusException("interrupted querying " + base);
    }
    Map<Map<String, String>, Double> out = new LinkedHashMap<>();
    for (JsonNode r : body.path("data").path("result")) {
      Map<String, String> labels = new HashMap<>();
      r.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      out.put(labels, PrometheusText.parseValue(r.path("value").path(1).asText("NaN")));
    }
    return out;
  }

  @Override
  public String describe() {
    return "Prometheus at " + base;
  }

  /** Prometheus answered with an error. */
  public static final class PrometheusException extends RuntimeException {
    PrometheusException(String message) {
      super(message);
    }
  }
}
