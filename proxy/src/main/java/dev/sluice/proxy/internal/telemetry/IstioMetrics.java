package dev.sluice.proxy.internal.telemetry;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Istio's standard metrics with their exact names, label sets and label order ({@code
 * istio/proxy} testdata): {@code istio_requests_total}, {@code
 * istio_request_duration_milliseconds}, {@code istio_request_bytes}, {@code istio_response_bytes}
 * and the four {@code istio_tcp_*} counters. One instance per proxy; recording is lock-free (a
 * concurrent map of series, adders inside) and safe from any event loop.
 */
public final class IstioMetrics {
  /** The labels of the HTTP metrics, in Istio's order. */
  public static final String[] HTTP_LABELS = {
      "reporter", "source_workload", "source_canonical_service", "source_canonical_revision",
      "source_workload_namespace", "source_principal", "source_app", "source_version", "source_cluster",
      "destination_workload", "destination_workload_namespace", "destination_principal", "destination_app",
      "destination_version", "destination_service", "destination_canonical_service",
      "destination_canonical_revision", "destination_service_name", "destination_service_namespace",
      "destination_cluster", "request_protocol", "response_code", "grpc_response_status", "response_flags",
      "connection_security_policy"};
  /** The labels of the TCP metrics: the HTTP ones without response_code and grpc_response_status. */
  public static final String[] TCP_LABELS = Arrays.stream(HTTP_LABELS)
      .filter(l -> !l.equals("response_code") && !l.equals("grpc_response_status")).toArray(String[]::new);
  static final int RESPONSE_CODE = 21;
  static final int GRPC_STATUS = 22;

  /** One label-value combination (values in label order). */
  private record Key(String[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }
  }

  /** The four HTTP metrics of one series. */
  private static final class HttpSeries {
    final LongAdder requests = new LongAdder();
    final Histogram duration = new Histogram();
    final Histogram requestBytes = new Histogram();
    final Histogram responseBytes = new Histogram();
  }

  /** The four TCP metrics of one series. */
  public static final class TcpSeries {
    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder opened = new LongAdder();
    final LongAdder closed = new LongAdder();

    /** Bytes sent to the downstream (the response direction). */
    public void sent(long n) {
      sent.add(n);
    }

    /** Bytes received from the downstream. */
    public void received(long n) {
      received.add(n);
    }

    public void opened() {
      opened.increment();
    }

    public void closed() {
      closed.increment();
    }
  }

  private final ConcurrentHashMap<Key, HttpSeries> http = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, TcpSeries> tcp = new ConcurrentHashMap<>();

  /**
   * Records one finished HTTP request.
   *
   * @param labels the values of {@link #HTTP_LABELS}, in order (owned by this call)
   */
  public void recordHttp(String[] labels, double durationMs, long requestBytes, long responseBytes) {
    if (labels.length != HTTP_LABELS.length) {
      throw new IllegalArgumentException("labels: " + labels.length + " (expected: " + HTTP_LABELS.length + ")");
    }
    HttpSeries s = http.computeIfAbsent(new Key(labels), k -> new HttpSeries());
    s.requests.increment();
    s.duration.record(durationMs);
    s.requestBytes.record(requestBytes);
    s.responseBytes.record(responseBytes);
  }

  /** The TCP series for {@code labels} (the values of {@link #TCP_LABELS}), created on first use. */
  public TcpSeries tcp(String[] labels) {
    if (labels.length != TCP_LABELS.length) {
      throw new IllegalArgumentException("labels: " + labels.length + " (expected: " + TCP_LABELS.length + ")");
    }
    return tcp.computeIfAbsent(new Key(labels), k -> new TcpSeries());
  }

  /** The number of HTTP requests recorded with exactly these label values (for tests). */
  public long requests(String[] labels) {
    HttpSeries s = http.get(new Key(labels));
    return s == null ? 0 : s.requests.sum();
  }

  /** Appends every {@code istio_*} family in Prometheus text format (0.0.4). */
  public void render(StringBuilder sb) {
    Map<String, HttpSeries> hs = new TreeMap<>();
    http.forEach((k, v) -> hs.put(labels(HTTP_LABELS, k.values), v));
    Map<String, TcpSeries> ts = new TreeMap<>();
    tcp.forEach((k, v) -> ts.put(labels(TCP_LABELS, k.values), v));
    if (!hs.isEmpty()) {
      sb.append("# TYPE istio_requests_total counter\n");
      hs.forEach((l, s) -> sb.append("istio_requests_total{").append(l).append("} ").append(s.requests.sum()).append('\n'));
      sb.append("# TYPE istio_request_duration_milliseconds histogram\n");
      hs.forEach((l, s) -> s.duration.render(sb, "istio_request_duration_milliseconds", l));
      sb.append("# TYPE istio_request_bytes histogram\n");
      hs.forEach((l, s) -> s.requestBytes.render(sb, "istio_request_bytes", l));
      sb.append("# TYPE istio_response_bytes histogram\n");
      hs.forEach((l, s) -> s.responseBytes.render(sb, "istio_response_bytes", l));
    }
    if (!ts.isEmpty()) {
      tcpFamily(sb, ts, "istio_tcp_sent_bytes_total", s -> s.sent.sum());
      tcpFamily(sb, ts, "istio_tcp_received_bytes_total", s -> s.received.sum());
      tcpFamily(sb, ts, "istio_tcp_connections_opened_total", s -> s.opened.sum());
      tcpFamily(sb, ts, "istio_tcp_connections_closed_total", s -> s.closed.sum());
    }
  }

  private static void tcpFamily(StringBuilder sb, Map<String, TcpSeries> ts, String name,
      java.util.function.ToLongFunction<TcpSeries> value) {
    sb.append("# TYPE ").append(name).append(" counter\n");
    ts.forEach((l, s) -> sb.append(name).append('{').append(l).append("} ").append(value.applyAsLong(s)).append('\n'));
  }

  private static String labels(String[] names, String[] values) {
    StringBuilder sb = new StringBuilder(512);
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(names[i]).append("=\"");
      String v = values[i];
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        switch (c) {
          case '\\' -> sb.append("\\\\");
          case '"' -> sb.append("\\\"");
          case '\n' -> sb.append("\\n");
          default -> sb.append(c);
        }
      }
      sb.append('"');
    }
    return sb.toString();
  }
}
