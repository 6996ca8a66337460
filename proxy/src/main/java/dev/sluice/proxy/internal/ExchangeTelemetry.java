package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.listener.HttpConnectionManager;
import dev.sluice.proxy.core.telemetry.Reporter;
import dev.sluice.proxy.core.telemetry.TraceProvider;
import dev.sluice.proxy.core.telemetry.TracingConfig;
import dev.sluice.proxy.core.telemetry.TrafficDirection;
import dev.sluice.proxy.internal.telemetry.IstioLabels;
import dev.sluice.proxy.internal.telemetry.PeerMetadata;
import dev.sluice.proxy.internal.telemetry.SpanData;
import dev.sluice.proxy.internal.telemetry.TraceContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The telemetry of one {@link Exchange}, when its connection manager has any: Istio's metadata
 * exchange (INBOUND listeners read and strip the peer's {@code x-envoy-peer-metadata} headers
 * from the request and answer with their own only if the peer sent them; other listeners add
 * their own to the request and read and strip the peer's from the response), the trace context
 * (extract, sample, a span per hop, inject for the next hop) and, when the exchange finishes,
 * Istio's metrics and the span. Confined to the exchange's event loop.
 */
final class ExchangeTelemetry {
  private final ProxyServer px;
  private final HttpConnectionManager hcm;
  private final TrafficDirection direction;
  private final boolean inbound;
  private final String authority;
  private final boolean grpc;
  private final long requestHeaderBytes;
  private PeerMetadata peer = PeerMetadata.UNKNOWN;
  private boolean peerSentMetadata;
  private long responseHeaderBytes;
  private @Nullable String grpcStatus;
  // tracing
  private @Nullable TraceContext span;
  private @Nullable TraceContext upstreamSpan;
  private long startMicros;
  private long startNanos;

  private ExchangeTelemetry(ProxyServer px, HttpConnectionManager hcm, TrafficDirection direction,
      HttpRequest request) {
    this.px = px;
    this.hcm = hcm;
    this.direction = direction;
    this.inbound = direction == TrafficDirection.INBOUND;
    HttpHeaders hs = request.headers();
    this.authority = hs.get(HttpHeaderNames.HOST, "");
    String ct = hs.get(HttpHeaderNames.CONTENT_TYPE);
    this.grpc = ct != null && ct.startsWith("application/grpc");
    this.requestHeaderBytes = headerBytes(hs) + request.method().name().length() + request.uri().length() + 2;
  }

  /**
   * Starts the telemetry of a request (after the standard headers), or returns null when the
   * connection manager has none.
   */
  static @Nullable ExchangeTelemetry start(HttpServerHandler conn, HttpConnectionManager hcm, HttpRequest request) {
    if (hcm.stats() == null && !hcm.peerExchange() && hcm.tracing() == null) {
      return null;
    }
    ExchangeTelemetry t = new ExchangeTelemetry(conn.px, hcm, conn.listener.config.direction(), request);
    boolean inbound = t.inbound;
    HttpHeaders hs = request.headers();
    if (hcm.peerExchange()) {
      if (inbound) {
        t.discoverPeer(hs);
      } else {
        hs.set(PeerMetadata.ID_HEADER, conn.px.config.nodeId());
        hs.set(PeerMetadata.HEADER, conn.px.selfEncoded());
      }
    }
    if (hcm.tracing() != null) {
      t.startSpan(hcm.tracing(), hs);
    }
    return t;
  }

  private void discoverPeer(HttpHeaders hs) {
    String value = hs.get(PeerMetadata.HEADER);
    if (value != null) {
      PeerMetadata pm = PeerMetadata.decode(hs.get(PeerMetadata.ID_HEADER), value);
      if (pm != null) {
        peer = pm;
      }
      peerSentMetadata = true;
    }
    hs.remove(PeerMetadata.HEADER);
    hs.remove(PeerMetadata.ID_HEADER);
  }

  private void startSpan(TracingConfig cfg, HttpHeaders hs) {
    startMicros = System.currentTimeMillis() * 1000;
    startNanos = System.nanoTime();
    TraceContext parent = TraceContext.extract(hs);
    boolean sampled = parent != null && parent.sampled() != null ? parent.sampled()
        : cfg.randomSampling().sample(ThreadLocalRandom.current());
    TraceContext s = TraceContext.child(parent, sampled);
    span = s;
    // One span per hop: a server span on inbound (or unspecified) listeners, a client span on
    // outbound ones; spawn_upstream_span adds a client child on the former.
    TraceContext up = !outboundSpan() && cfg.spawnUpstreamSpan() ? TraceContext.child(s, sampled) : s;
    upstreamSpan = up == s ? null : up;
    up.inject(hs);
  }

  private boolean outboundSpan() {
    return direction == TrafficDirection.OUTBOUND;
  }

  /** Response headers going downstream (upstream responses and local replies). */
  void onResponseHeaders(HttpHeaders hs) {
    if (hcm.peerExchange()) {
      if (!inbound) {
        discoverPeer(hs);
      } else if (peerSentMetadata) {
        hs.set(PeerMetadata.ID_HEADER, px.config.nodeId());
        hs.set(PeerMetadata.HEADER, px.selfEncoded());
      }
    }
    if (grpc) {
      grpcStatus = hs.get(HeaderRules.GRPC_STATUS);
    }
    responseHeaderBytes = headerBytes(hs) + 12;
  }

  /** Response trailers (gRPC's status usually arrives here). */
  void onResponseTrailers(HttpHeaders trailers) {
    String g = trailers.get(HeaderRules.GRPC_STATUS);
    if (g != null) {
      grpcStatus = g;
    }
  }

  /** The exchange finished: metrics and the span. */
  void finish(LogEntry log, long durationNanos) {
    IstioLabels.Service service = IstioLabels.Service.of(log.upstreamServices, log.upstreamCluster, authority);
    if (hcm.stats() != null) {
      Reporter reporter = hcm.stats().reporterFor(direction);
      String[] labels = IstioLabels.http(reporter, px.config.self(), peer, service, grpc, log.responseCode,
          grpcStatus, log.flags);
      px.istioMetrics.recordHttp(labels, durationNanos / 1e6, requestHeaderBytes + log.bytesReceived,
          responseHeaderBytes + log.bytesSent);
    }
    TraceContext s = span;
    TracingConfig cfg = hcm.tracing();
    if (s == null || cfg == null || !Boolean.TRUE.equals(s.sampled())) {
      return;
    }
    TraceProvider provider = cfg.provider() != null ? cfg.provider() : px.config.tracer();
    if (provider == null) {
      return;
    }
    long durMicros = (System.nanoTime() - startNanos) / 1000;
    String name = service.host().equals("unknown") ? authority + "/*"
        : service.host() + portOf(log.upstreamCluster) + "/*";
    Map<String, String> tags = tags(log, cfg);
    boolean outbound = outboundSpan();
    String remote = outbound ? log.upstreamHost : log.downstreamRemote;
    px.tracer.submit(span(s, outbound ? SpanData.Kind.CLIENT : SpanData.Kind.SERVER, name, durMicros, remote,
        log.downstreamLocal, tags), provider);
    TraceContext up = upstreamSpan;
    if (up != null && log.upstreamHost != null) {
      px.tracer.submit(span(up, SpanData.Kind.CLIENT, name, durMicros, log.upstreamHost, null, tags), provider);
    }
  }

  private SpanData span(TraceContext c, SpanData.Kind kind, String name, long durMicros, @Nullable String remote,
      @Nullable String local, Map<String, String> tags) {
    String remoteIp = null;
    int remotePort = 0;
    if (remote != null && !remote.equals("-")) {
      int colon = remote.lastIndexOf(':');
      remoteIp = colon > 0 ? remote.substring(0, colon) : remote;
      remotePort = colon > 0 ? parsePort(remote.substring(colon + 1)) : 0;
    }
    String localIp = local == null || local.equals("-") ? null : local.substring(0, Math.max(0, local.lastIndexOf(':')));
    return new SpanData(c.traceIdHigh(), c.traceIdLow(), c.spanId(), c.parentId(), kind, name, startMicros,
        durMicros, px.localService, localIp == null || localIp.isEmpty() ? null : localIp, remoteIp, remotePort, tags);
  }

  private static int parsePort(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private Map<String, String> tags(LogEntry log, TracingConfig cfg) {
    Map<String, String> t = new HashMap<>(24);
    t.put("component", "proxy");
    t.put("node_id", px.config.nodeId());
    t.put("http.method", log.method);
    t.put("http.url", "http://" + authority + log.path);
    t.put("http.protocol", log.protocol);
    t.put("http.status_code", Integer.toString(log.responseCode));
    t.put("response_flags", log.flags);
    t.put("request_size", Long.toString(log.bytesReceived));
    t.put("response_size", Long.toString(log.bytesSent));
    String rid = log.requestHeader("x-request-id");
    if (rid != null) {
      t.put("guid:x-request-id", rid);
    }
    String ua = log.requestHeader("user-agent");
    if (ua != null) {
      t.put("user_agent", ua);
    }
    if (log.upstreamCluster != null) {
      t.put("upstream_cluster", log.upstreamCluster);
      t.put("upstream_cluster.name", log.upstreamCluster);
    }
    PeerMetadata self = px.config.self();
    if (!self.canonicalService().isEmpty()) {
      t.put("istio.canonical_service", self.canonicalService());
      t.put("istio.canonical_revision", self.canonicalRevision());
    }
    if (!self.namespace().isEmpty()) {
      t.put("istio.namespace", self.namespace());
    }
    if (!self.meshId().isEmpty()) {
      t.put("istio.mesh_id", self.meshId());
    }
    if (log.responseCode >= 500 || log.responseCode == 0) {
      t.put("error", "true");
    }
    t.putAll(cfg.customTags());
    return t;
  }

  private static String portOf(@Nullable String cluster) {
    if (cluster == null || !cluster.startsWith("outbound|")) {
      return "";
    }
    int second = cluster.indexOf('|', 9);
    return second > 9 ? ":" + cluster.substring(9, second) : "";
  }

  private static long headerBytes(HttpHeaders hs) {
    long n = 0;
    for (var it = hs.iteratorCharSequence(); it.hasNext(); ) {
      var e = it.next();
      n += e.getKey().length() + e.getValue().length() + 4;
    }
    return n;
  }
}
