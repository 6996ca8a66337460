package dev.sluice.bench.proxy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.proxy.core.filter.Fraction;
import dev.sluice.proxy.core.telemetry.Reporter;
import dev.sluice.proxy.core.telemetry.TraceProvider;
import dev.sluice.proxy.internal.telemetry.IstioLabels;
import dev.sluice.proxy.internal.telemetry.IstioMetrics;
import dev.sluice.proxy.internal.telemetry.PeerMetadata;
import dev.sluice.proxy.internal.telemetry.SpanData;
import dev.sluice.proxy.internal.telemetry.TraceContext;
import dev.sluice.proxy.internal.telemetry.Tracer;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request telemetry work on a proxy's event loop, on versus off, with the same steps as
 * the proxy's {@code ExchangeTelemetry}: {@code baseline} copies a typical request's headers (the
 * work every request does anyway); {@code stats} adds Istio's labels and metrics (one counter,
 * three histograms); {@code statsAndExchange} adds the metadata exchange (decode the peer's
 * header, cached by id, strip it, add our own); {@code tracingSampled} adds trace context extract,
 * child, inject, the span record and its hand-off to the exporter queue; {@code tracingUnsampled}
 * is tracing at 0 % (propagation only). Telemetry's cost is each result minus {@code baseline}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TelemetryBenchmark {
  private final IstioMetrics metrics = new IstioMetrics();
  private PeerMetadata self;
  private String peerHeader;
  private String peerId;
  private HttpHeaders template;
  private Tracer tracer;
  private final TraceProvider provider = new TraceProvider.Zipkin("nowhere", "/api/v2/spans", null);
  private final Fraction all = Fraction.ALL;
  private final Fraction none = Fraction.NONE;
  private final IstioLabels.Service service =
      IstioLabels.Service.of("outbound|9080||reviews.default.svc.cluster.local", "reviews:9080");

  private static Struct node(String workload, String app, String version) {
    Struct labels = Struct.newBuilder()
        .putFields("app", Value.newBuilder().setStringValue(app).build())
        .putFields("version", Value.newBuilder().setStringValue(version).build()).build();
    return Struct.newBuilder()
        .putFields("NAME", Value.newBuilder().setStringValue(workload + "-5b64").build())
        .putFields("NAMESPACE", Value.newBuilder().setStringValue("default").build())
        .putFields("WORKLOAD_NAME", Value.newBuilder().setStringValue(workload).build())
        .putFields("CLUSTER_ID", Value.newBuilder().setStringValue("Kubernetes").build())
        .putFields("LABELS", Value.newBuilder().setStructValue(labels).build()).build();
  }

  @Setup(Level.Trial)
  public void setUp() {
    self = PeerMetadata.fromStruct("sidecar~10.0.0.1~productpage", node("productpage-v1", "productpage", "v1"));
    PeerMetadata peer = PeerMetadata.fromStruct("sidecar~10.0.0.2~reviews", node("reviews-v2", "reviews", "v2"));
    peerHeader = peer.encode();
    peerId = peer.id();
    template = new DefaultHttpHeaders();
    template.set("host", "reviews:9080").set("user-agent", "python-requests/2.31").set("accept", "*/*")
        .set("x-request-id", "3a11e2b0-0d29-4f6c-9a7e-5c8b3e0f4d21").set("x-forwarded-proto", "http")
        .set("x-b3-traceid", "463ac35c9f6413ad48485a3953bb6124").set("x-b3-spanid", "a2fb4a1d1a96d312")
        .set("end-user", "jason");
    tracer = new Tracer(cluster -> null); // spans are queued and dropped by the exporter thread
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tracer.close();
  }

  @Benchmark
  public HttpHeaders baseline() {
    return template.copy();
  }

  @Benchmark
  public HttpHeaders stats() {
    HttpHeaders h = template.copy();
    String[] labels = IstioLabels.http(Reporter.SOURCE, self, PeerMetadata.UNKNOWN, service, false, 200, null, "-");
    metrics.recordHttp(labels, 3.2, 420, 1830);
    return h;
  }

  @Benchmark
  public HttpHeaders statsAndExchange() {
    HttpHeaders h = template.copy();
    h.set(PeerMetadata.HEADER, peerHeader).set(PeerMetadata.ID_HEADER, peerId); // the peer's response
    PeerMetadata peer = PeerMetadata.decode(h.get(PeerMetadata.ID_HEADER), h.get(PeerMetadata.HEADER));
    h.remove(PeerMetadata.HEADER);
    h.remove(PeerMetadata.ID_HEADER);
    String[] labels = IstioLabels.http(Reporter.SOURCE, self, peer, service, false, 200, null, "-");
    metrics.recordHttp(labels, 3.2, 420, 1830);
    return h;
  }

  @Benchmark
  public HttpHeaders tracingSampled() {
    return trace(all, true);
  }

  @Benchmark
  public HttpHeaders tracingUnsampled() {
    HttpHeaders h = template.copy();
    h.remove("x-b3-traceid");
    h.remove("x-b3-spanid");
    TraceContext parent = TraceContext.extract(h);
    boolean sampled = none.sample(ThreadLocalRandom.current());
    TraceContext.child(parent, sampled).inject(h);
    return h;
  }

  private HttpHeaders trace(Fraction sampling, boolean export) {
    HttpHeaders h = template.copy();
    long startMicros = System.currentTimeMillis() * 1000;
    long t0 = System.nanoTime();
    TraceContext parent = TraceContext.extract(h);
    boolean sampled = parent != null && parent.sampled() != null ? parent.sampled()
        : sampling.sample(ThreadLocalRandom.current());
    TraceContext c = TraceContext.child(parent, sampled || export);
    c.inject(h);
    Map<String, String> tags = new HashMap<>(24);
    tags.put("component", "proxy");
    tags.put("http.method", "GET");
    tags.put("http.url", "http://reviews:9080/reviews/0");
    tags.put("http.status_code", "200");
    tags.put("response_flags", "-");
    tags.put("guid:x-request-id", h.get("x-request-id"));
    tags.put("upstream_cluster", "outbound|9080||reviews.default.svc.cluster.local");
    tracer.submit(new SpanData(c.traceIdHigh(), c.traceIdLow(), c.spanId(), c.parentId(), SpanData.Kind.CLIENT,
        "reviews.default.svc.cluster.local:9080/*", startMicros, (System.nanoTime() - t0) / 1000,
        "productpage.default", "10.0.0.1", "10.0.0.2", 9080, tags), provider);
    return h;
  }
}
