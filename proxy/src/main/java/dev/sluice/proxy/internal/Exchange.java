package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.cluster.OutlierMonitor;
import dev.sluice.proxy.core.filter.CorsPolicy;
import dev.sluice.proxy.core.listener.HttpConnectionManager;
import dev.sluice.proxy.core.listener.RouteSource;
import dev.sluice.proxy.core.route.ClusterSpecifier;
import dev.sluice.proxy.core.route.HashPolicy;
import dev.sluice.proxy.core.route.MirrorPolicy;
import dev.sluice.proxy.core.route.PathMatch;
import dev.sluice.proxy.core.route.RetryPolicy;
import dev.sluice.proxy.core.route.RouteAction;
import dev.sluice.proxy.core.route.RouteSelection;
import dev.sluice.proxy.core.route.RouteTable;
import dev.sluice.proxy.core.route.WeightedCluster;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One request through the connection manager: route selection, the HTTP filters ({@link
 * HttpFilter}), then the router: cluster and host choice, the upstream tries with Envoy's retry
 * policy, timeouts (route, per try, max stream duration), request mirroring, response forwarding,
 * local replies with Envoy's flags and texts, statistics and the access log. Runs entirely on the
 * downstream channel's event loop.
 *
 * <p>The request body is kept (as retained slices, up to 1 MiB) while a retry or a mirror may
 * still need it, and released as soon as the response starts or the limit is passed (then no
 * further retry is possible, as in Envoy).
 */
final class Exchange {
  private static final long MAX_BUFFERED = 1 << 20;

  private final HttpServerHandler conn;
  private final HttpConnectionManager hcm;
  private final HttpRequest request;
  private final Stats.HttpStats hstats;
  private final List<HttpFilter> filters;
  private final LogEntry log = new LogEntry();
  private final long startNanos = System.nanoTime();
  private final boolean downstreamKeepAlive;

  boolean requestComplete;
  private boolean responseStarted;
  private boolean finished;
  private boolean discardBody;
  private boolean upgrade;
  private int filterIndex;
  private int filtersRun;
  private @Nullable String extraFlags;
  private boolean faultActive;
  /** Set by the CORS filter for the response. */
  @Nullable String corsOrigin;
  CorsPolicy.@Nullable Resolved corsPolicy;

  private @Nullable RouteSelection selection;
  private @Nullable WeightedCluster weighted;
  private RouteAction.@Nullable Forward forward;
  private @Nullable ClusterRuntime cluster;
  private @Nullable RetryPolicy retry;
  private @Nullable UpstreamAttempt attempt;
  private int attempts;
  private final List<HostRuntime> triedHosts = new ArrayList<>(2);
  private boolean retryHeld;
  private boolean retryLimitHit;
  private @Nullable ScheduledFuture<?> backoffTimer;
  private long globalTimeoutMs;
  private long perTryTimeoutMs;
  private @Nullable ScheduledFuture<?> timeout;
  private @Nullable ScheduledFuture<?> durationTimer;
  private @Nullable List<ShadowRequest> shadows;

  /** Body kept for retries (owned references); null when not buffering. */
  private @Nullable ArrayDeque<HttpContent> replay;
  private long replayBytes;
  /** Body waiting for the first upstream stream when not buffering. */
  private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>();
  private long pendingBytes;
  private boolean ownsRequest = true;
  private long upstreamStartNanos;
  private boolean upstreamResponseKeepAlive;

  Exchange(HttpServerHandler conn, HttpConnectionManager hcm, HttpRequest request) {
    this.conn = conn;
    this.hcm = hcm;
    this.request = request;
    this.hstats = conn.px.httpStats(hcm.statPrefix());
    this.filters = conn.px.filters(hcm);
    this.downstreamKeepAlive = conn.h2 || HttpUtil.isKeepAlive(request);
    log.startEpochMillis = System.currentTimeMillis();
    log.method = request.method().name();
    log.path = request.uri();
    log.protocol = conn.h2 ? "HTTP/2" : request.protocolVersion().text();
    log.downstreamRemote = conn.remoteAddress;
    log.downstreamLocal = conn.localAddress;
    log.requestHeaders = request.headers();
  }

  // ---- accessors for filters ----

  @Nullable RouteSelection selection() {
    return selection;
  }

  HttpRequest request() {
    return request;
  }

  NettyRequestView view() {
    return new NettyRequestView(request, conn.remoteIp);
  }

  Stats.HttpStats httpStats() {
    return hstats;
  }

  boolean isFinished() {
    return finished;
  }

  void schedule(Runnable task, long delay, TimeUnit unit) {
    conn.ctx.channel().eventLoop().schedule(task, delay, unit);
  }

  /** Adds a response flag (DI, FI, URX) shown before the final one. */
  void addFlag(String flag) {
    extraFlags = extraFlags == null ? flag : extraFlags + "," + flag;
  }

  void faultStarted() {
    if (!faultActive) {
      faultActive = true;
      hstats.activeFaults.incrementAndGet();
    }
  }

  /** The single cluster the route points at, for the fault filter's {@code upstream_cluster}. */
  @Nullable String routeClusterName() {
    if (selection != null && selection.route().action() instanceof RouteAction.Forward f
        && f.cluster() instanceof ClusterSpecifier.Single s) {
      return s.name();
    }
    return null;
  }

  void filterLocalReply(int status, String body, String flag, String details,
      @Nullable Consumer<HttpHeaders> headers) {
    discardBody = true;
    releaseRequest();
    localReply(status, body, flag, details, null, headers);
  }

  /** A gRPC local reply: 200, {@code content-type: application/grpc}, trailers-only status. */
  void grpcLocalReply(int grpcStatus, String message, String flag, String details) {
    filterLocalReply(200, "", flag, details, h -> {
      h.set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
      h.set("grpc-status", Integer.toString(grpcStatus));
      h.set("grpc-message", message);
    });
  }

  // ---- request path ----

  void start() {
    hstats.rqTotal.increment();
    hstats.rqActive.incrementAndGet();
    if (request instanceof LastHttpContent last) {
      requestComplete = true;
      log.bytesReceived += last.content().readableBytes();
    }
    DecoderResult dr = request.decoderResult();
    if (dr.isFailure()) {
      hstats.protocolError.increment();
      Throwable cause = dr.cause();
      int status = cause instanceof BadRequestException b ? b.status
          : cause instanceof TooLongFrameException ? 431 : 400;
      discardBody = true;
      conn.closeAfterResponse = true;
      releaseRequest();
      localReply(status, "", LocalReplies.DPE, status == 431 ? "http1.headers_too_large" : "http1.codec_error");
      return;
    }
    if (!conn.h2 && request.headers().size() > hcm.maxHeadersCount()) {
      discardBody = true;
      conn.closeAfterResponse = true;
      releaseRequest();
      localReply(431, "", LocalReplies.DPE, "http1.too_many_headers");
      return;
    }
    String authority = request.headers().get(HttpHeaderNames.HOST);
    if (authority == null || authority.isEmpty()) {
      // HTTP/1.1 requires Host; a request without one cannot be routed by domain either.
      discardBody = true;
      releaseRequest();
      localReply(400, "", LocalReplies.DPE, "missing_host_header");
      return;
    }
    ConfigSnapshot snap = conn.px.snapshot();
    RouteTable table = switch (hcm.routes()) {
      case RouteSource.Inline i -> i.table();
      case RouteSource.Rds r -> snap.routes().get(r.routeConfigName());
    };
    prepareStandardHeaders();
    selection = table == null ? null : table.select(new NettyRequestView(request, conn.remoteIp));
    if (selection != null) {
      log.routeName = selection.route().name();
      if (selection.route().action() instanceof RouteAction.Forward f) {
        armStreamDuration(f);
      }
    }
    proceed();
  }

  /** Runs the next filter, or the router after the last one. */
  void proceed() {
    if (finished) {
      return;
    }
    if (filterIndex < filters.size()) {
      HttpFilter f = filters.get(filterIndex++);
      filtersRun = filterIndex;
      int before = filterIndex;
      f.onRequest(this);
      if (filterIndex < before) {
        throw new IllegalStateException("filter " + f.getClass().getSimpleName() + " rewound the chain");
      }
      return;
    }
    filterIndex++;
    if (filterIndex > filters.size() + 1) {
      throw new IllegalStateException("the router ran twice (a filter called proceed() twice)");
    }
    route(conn.px.snapshot());
  }

  private void route(ConfigSnapshot snap) {
    RouteSelection sel = selection;
    if (sel == null) {
      hstats.noRoute.increment();
      discardBody = true;
      releaseRequest();
      localReply(404, "", LocalReplies.NR, "route_not_found");
      return;
    }
    switch (sel.route().action()) {
      case RouteAction.DirectResponse d -> {
        hstats.directResponse.increment();
        discardBody = true;
        releaseRequest();
        localReply(d.status(), d.body(), "-", "direct_response");
      }
      case RouteAction.Redirect r -> {
        discardBody = true;
        String location = redirectLocation(r);
        releaseRequest();
        localReply(r.status(), "", "-", "via_redirect", location, null);
      }
      case RouteAction.Forward f -> forward(snap, sel, f);
    }
  }

  /** Route {@code max_stream_duration}: 504 (408 while the request is still arriving), flag DT. */
  private void armStreamDuration(RouteAction.Forward f) {
    long ms = f.maxStreamDuration().toMillis();
    if (ms <= 0) {
      return;
    }
    durationTimer = conn.ctx.channel().eventLoop().schedule(() -> {
      durationTimer = null;
      if (finished) {
        return;
      }
      hstats.maxDurationReached.increment();
      if (cluster != null) {
        cluster.stats.rqMaxDuration.increment();
      }
      abortAttempt();
      if (!responseStarted) {
        releaseRequest();
        localReply(requestComplete ? 504 : 408, "downstream duration timeout", "DT", "max_duration_timeout");
      } else {
        abortAfterStart("DT");
      }
    }, ms, TimeUnit.MILLISECONDS);
  }

  private void forward(ConfigSnapshot snap, RouteSelection sel, RouteAction.Forward f) {
    String clusterName = switch (f.cluster()) {
      case ClusterSpecifier.Single s -> s.name();
      case ClusterSpecifier.FromHeader h -> {
        String v = request.headers().get(h.header());
        yield v == null ? "" : v;
      }
      case ClusterSpecifier.Weighted w -> {
        weighted = w.pick(ThreadLocalRandom.current().nextInt(w.totalWeight()));
        yield weighted.name();
      }
    };
    log.upstreamCluster = clusterName;
    ClusterRuntime c = snap.clusters().get(clusterName);
    if (c == null) {
      hstats.noCluster.increment();
      discardBody = true;
      releaseRequest();
      localReply(503, "", LocalReplies.NC, "cluster_not_found");
      return;
    }
    cluster = c;
    forward = f;
    computeTimeouts(f);
    rewriteRequest(sel, f);
    retry = upgrade ? null : f.retryPolicy();
    if (!upgrade && (retry != null || !f.mirrors().isEmpty())) {
      replay = new ArrayDeque<>();
      for (HttpContent pb; (pb = pendingBody.poll()) != null; ) {
        replay.add(pb);
      }
      replayBytes = pendingBytes;
      pendingBytes = 0;
    }
    if (!upgrade) {
      startMirrors(snap, f);
    }
    if (requestComplete) {
      armGlobalTimeout();
    }
    startAttempt();
  }

  /**
   * Envoy's router timeouts: the route timeout or {@code x-envoy-upstream-rq-timeout-ms}, a
   * {@code grpc-timeout} capped by {@code grpc_timeout_header_max}; the per-try timeout or {@code
   * x-envoy-upstream-rq-per-try-timeout-ms} (ignored when not below the global one).
   */
  private void computeTimeouts(RouteAction.Forward f) {
    HttpHeaders hs = request.headers();
    long global = f.timeout().toMillis();
    String h = hs.get("x-envoy-upstream-rq-timeout-ms");
    if (h != null) {
      hs.remove("x-envoy-upstream-rq-timeout-ms");
      long v = parseMillis(h);
      if (v >= 0) {
        global = v;
      }
    }
    if (f.grpcTimeoutHeaderMax() != null) {
      String g = hs.get("grpc-timeout");
      long v = g == null ? -1 : parseGrpcTimeout(g);
      if (v >= 0) {
        long cap = f.grpcTimeoutHeaderMax().toMillis();
        global = cap > 0 ? Math.min(v, cap) : v;
      }
    }
    long perTry = f.retryPolicy() == null ? 0 : f.retryPolicy().perTryTimeout().toMillis();
    String p = hs.get("x-envoy-upstream-rq-per-try-timeout-ms");
    if (p != null) {
      hs.remove("x-envoy-upstream-rq-per-try-timeout-ms");
      long v = parseMillis(p);
      if (v >= 0) {
        perTry = v;
      }
    }
    if (global > 0 && perTry >= global) {
      perTry = 0;
    }
    globalTimeoutMs = global;
    perTryTimeoutMs = perTry;
    long expected = perTry > 0 ? perTry : global;
    if (expected > 0) {
      hs.set("x-envoy-expected-rq-timeout-ms", Long.toString(expected));
    }
  }

  private static long parseMillis(String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** gRPC's {@code grpc-timeout}: digits and a unit H, M, S, m, u or n. */
  static long parseGrpcTimeout(String v) {
    if (v.length() < 2 || v.length() > 9) {
      return -1;
    }
    long n = parseMillis(v.substring(0, v.length() - 1));
    if (n < 0) {
      return -1;
    }
    return switch (v.charAt(v.length() - 1)) {
      case 'H' -> n * 3_600_000;
      case 'M' -> n * 60_000;
      case 'S' -> n * 1000;
      case 'm' -> n;
      case 'u' -> n / 1000;
      case 'n' -> n / 1_000_000;
      default -> -1;
    };
  }

  private void armGlobalTimeout() {
    if (globalTimeoutMs > 0 && timeout == null && !finished) {
      timeout = conn.ctx.channel().eventLoop().schedule(this::onTimeout, globalTimeoutMs, TimeUnit.MILLISECONDS);
    }
  }

  private void startMirrors(ConfigSnapshot snap, RouteAction.Forward f) {
    for (MirrorPolicy m : f.mirrors()) {
      if (!m.fraction().sample(ThreadLocalRandom.current())) {
        continue;
      }
      ClusterRuntime mc = snap.clusters().get(m.cluster());
      if (mc == null) {
        continue;
      }
      int idx = mc.balancer.pick(null, ThreadLocalRandom.current());
      if (idx < 0) {
        continue;
      }
      HttpRequest head = copyHead();
      String authority = head.headers().get(HttpHeaderNames.HOST, "");
      if (!m.disableShadowHostSuffix()) {
        head.headers().set(HttpHeaderNames.HOST, MirrorPolicy.shadowAuthority(authority));
      }
      ShadowRequest shadow = new ShadowRequest(mc, mc.hosts.get(idx), conn.worker, head);
      if (replay != null) {
        for (HttpContent c : replay) {
          shadow.addBody(c.retainedDuplicate());
        }
      }
      if (shadows == null) {
        shadows = new ArrayList<>(1);
      }
      shadows.add(shadow);
      shadow.start(globalTimeoutMs);
    }
  }

  /** The request head for one more upstream try (headers copied, body shared and retained). */
  private HttpRequest copyHead() {
    if (request instanceof FullHttpRequest full) {
      return full.retainedDuplicate();
    }
    return new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(),
        request.headers().copy());
  }

  /** Picks a host (avoiding tried ones with the previous-hosts predicate) and starts a try. */
  private void startAttempt() {
    ClusterRuntime c = cluster;
    RouteAction.Forward f = forward;
    Long hash = f.hashPolicies().isEmpty() ? null
        : HashPolicy.compute(f.hashPolicies(), new NettyRequestView(request, conn.remoteIp));
    int tries = retry != null && retry.previousHosts() && !triedHosts.isEmpty()
        ? retry.hostSelectionMaxAttempts() : 1;
    int idx = -1;
    for (int i = 0; i < tries; i++) {
      idx = c.balancer.pick(hash, ThreadLocalRandom.current());
      if (idx < 0 || !triedHosts.contains(c.hosts.get(idx))) {
        break;
      }
    }
    if (idx < 0) {
      discardBody = true;
      releaseRequest();
      localReply(503, LocalReplies.NO_HEALTHY_UPSTREAM, LocalReplies.UH, "no_healthy_upstream");
      return;
    }
    if (c.stats.rqActive.get() >= c.cluster.circuitBreakers().maxRequests()) {
      overflow(c);
      return;
    }
    HostRuntime h = c.hosts.get(idx);
    triedHosts.add(h);
    attempts++;
    c.stats.rqTotal.increment();
    h.rqTotal.increment();
    h.activeRequests.incrementAndGet();
    log.upstreamHost = h.hostPort;
    UpstreamAttempt a = new UpstreamAttempt(this, c, h);
    attempt = a;
    if (upgrade) {
      conn.worker.connectH1(c, h, a);
    } else if (!conn.worker.acquire(c, h, a)) {
      endAttempt(a, false);
      overflow(c);
      return;
    }
    if (!a.done && requestComplete) {
      armPerTry(a);
    }
  }

  private void overflow(ClusterRuntime c) {
    if (attempts == 0) {
      c.stats.rqPendingOverflow.increment();
    }
    discardBody = true;
    releaseRequest();
    localReply(503, LocalReplies.OVERFLOW, LocalReplies.UO, "upstream_reset_before_response_started{overflow}");
  }

  private void armPerTry(UpstreamAttempt a) {
    if (perTryTimeoutMs > 0 && a.perTryTimer == null && !a.done) {
      a.perTryTimer = conn.ctx.channel().eventLoop().schedule(() -> onPerTryTimeout(a),
          perTryTimeoutMs, TimeUnit.MILLISECONDS);
    }
  }

  /** Ends a try: releases (or returns to its pool) its stream and its counters. */
  private void endAttempt(UpstreamAttempt a, boolean reusable) {
    if (a.done) {
      return;
    }
    a.done = true;
    if (a.perTryTimer != null) {
      a.perTryTimer.cancel(false);
      a.perTryTimer = null;
    }
    UpstreamStream s = a.stream;
    a.stream = null;
    if (s != null) {
      s.release(reusable);
    } else {
      conn.worker.cancel(a.host, a);
    }
    if (a.active) {
      a.active = false;
      a.cluster.stats.rqActive.decrementAndGet();
    }
    a.host.activeRequests.decrementAndGet();
  }

  private void abortAttempt() {
    UpstreamAttempt a = attempt;
    if (a != null) {
      endAttempt(a, false);
    }
    if (backoffTimer != null) {
      backoffTimer.cancel(false);
      backoffTimer = null;
    }
  }

  /** Reports a try's outcome to outlier detection (Envoy's {@code putHttpResponseCode/putResult}). */
  private void outlier(UpstreamAttempt a, int status, OutlierMonitor.@Nullable LocalResult local) {
    var od = a.cluster.cluster.outlierDetection();
    if (od == null) {
      return;
    }
    OutlierMonitor.EjectionType t = local != null ? a.host.outlier.putLocal(od, local)
        : a.host.outlier.putHttpStatus(od, status);
    if (t != null) {
      conn.px.outlierDetected(a.cluster.name(), a.host, t);
    }
  }

  /**
   * Decides on a retry (Envoy's RetryStateImpl): within {@code num_retries}, within the
   * cluster's retry circuit breaker or budget, after a jittered back-off. Sets URX when the
   * limit stopped a retry.
   */
  private boolean tryRetry() {
    RetryPolicy p = retry;
    ClusterRuntime c = cluster;
    if (p == null || replay == null || responseStarted || finished) {
      return false;
    }
    if (attempts > p.numRetries()) {
      c.stats.rqRetryLimitExceeded.increment();
      retryLimitHit = true;
      return false;
    }
    long limit = c.cluster.circuitBreakers().retryLimit(c.stats.rqActive.get(), c.stats.rqPendingActive.get());
    if (c.stats.retriesActive.get() >= limit) {
      c.stats.rqRetryOverflow.increment();
      return false;
    }
    c.stats.retriesActive.incrementAndGet();
    retryHeld = true;
    c.stats.rqRetryBackoff.increment();
    long delay = p.backoffMillis(attempts, ThreadLocalRandom.current());
    backoffTimer = conn.ctx.channel().eventLoop().schedule(() -> {
      backoffTimer = null;
      releaseRetry();
      if (finished) {
        return;
      }
      c.stats.rqRetry.increment();
      startAttempt();
    }, delay, TimeUnit.MILLISECONDS);
    return true;
  }

  private void releaseRetry() {
    if (retryHeld) {
      retryHeld = false;
      cluster.stats.retriesActive.decrementAndGet();
    }
  }

  /** Stops keeping the body for retries and mirrors (the response started, or it grew too big). */
  private void stopBuffering() {
    ArrayDeque<HttpContent> r = replay;
    if (r == null) {
      return;
    }
    replay = null;
    UpstreamAttempt a = attempt;
    if (a != null && !a.done && a.stream == null) {
      // The current try has not started: it still needs the body so far.
      pendingBody.addAll(r);
      pendingBytes = replayBytes;
    } else {
      for (HttpContent c : r) {
        c.release();
      }
    }
    replayBytes = 0;
  }

  /** x-request-id, x-forwarded-*, 100-continue and hop-by-hop headers (Envoy's connection manager). */
  private void prepareStandardHeaders() {
    HttpHeaders hs = request.headers();
    hs.remove("x-http2-scheme");
    hs.remove("x-http2-stream-id");
    hs.remove("x-http2-stream-weight");
    hs.remove("x-http2-stream-dependency-id");
    if (hcm.useRemoteAddress()) {
      hs.set("x-forwarded-proto", "http");
      if (!hcm.skipXffAppend() && !conn.remoteIp.isEmpty()) {
        String xff = hs.get("x-forwarded-for");
        hs.set("x-forwarded-for", xff == null ? conn.remoteIp : xff + "," + conn.remoteIp);
      }
    } else if (!hs.contains("x-forwarded-proto")) {
      hs.set("x-forwarded-proto", "http");
    }
    String rid = hs.get("x-request-id");
    if (hcm.generateRequestId() && (rid == null || rid.isEmpty()
        || (hcm.useRemoteAddress() && !hcm.preserveExternalRequestId()))) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
      long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      hs.set("x-request-id", new UUID(hi, lo).toString());
    }
    boolean wantsUpgrade = !conn.h2 && hs.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && hs.contains(HttpHeaderNames.UPGRADE);
    upgrade = wantsUpgrade && hcm.allowWebsocket()
        && "websocket".equalsIgnoreCase(hs.get(HttpHeaderNames.UPGRADE));
    if (!conn.h2 && HttpUtil.is100ContinueExpected(request)) {
      // Envoy answers 100-continue itself and does not forward Expect.
      conn.ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
      hs.remove(HttpHeaderNames.EXPECT);
    }
    String connection = hs.get(HttpHeaderNames.CONNECTION);
    if (connection != null) {
      // Headers named in Connection are hop-by-hop too.
      for (String token : connection.split(",")) {
        String t = token.trim();
        if (!t.isEmpty() && !t.equalsIgnoreCase("upgrade") && !t.equalsIgnoreCase("close")
            && !t.equalsIgnoreCase("keep-alive")) {
          hs.remove(t);
        }
      }
    }
    hs.remove(HttpHeaderNames.CONNECTION);
    hs.remove("keep-alive");
    hs.remove("proxy-connection");
    if (!conn.h2) {
      hs.remove(HttpHeaderNames.TE);
    }
    if (!upgrade) {
      hs.remove(HttpHeaderNames.UPGRADE);
    } else {
      hs.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
  }

  private void rewriteRequest(RouteSelection sel, RouteAction.Forward f) {
    HttpHeaders hs = request.headers();
    String uri = request.uri();
    if (f.prefixRewrite() != null || f.regexRewrite() != null) {
      int q = uri.indexOf('?');
      String path = q < 0 ? uri : uri.substring(0, q);
      String query = q < 0 ? "" : uri.substring(q);
      String newPath = path;
      if (f.prefixRewrite() != null) {
        int matched = switch (sel.route().match().path()) {
          case PathMatch.Prefix p -> p.prefix().length();
          case PathMatch.SeparatedPrefix p -> p.prefix().length();
          case PathMatch.Exact e -> e.path().length();
          case PathMatch.Regex r -> path.length();
        };
        newPath = f.prefixRewrite() + path.substring(Math.min(matched, path.length()));
      } else if (f.regexRewrite() != null) {
        newPath = f.regexRewrite().apply(path);
      }
      hs.set("x-envoy-original-path", uri);
      log.originalPath = uri;
      request.setUri(newPath + query);
    }
    if (f.hostRewrite() != null) {
      hs.set(HttpHeaderNames.HOST, f.hostRewrite());
    } else if (weighted != null && weighted.hostRewrite() != null) {
      hs.set(HttpHeaderNames.HOST, weighted.hostRewrite());
    }
    var mh = NettyRequestView.mutable(hs);
    if (weighted != null) {
      weighted.requestHeaders().apply(mh);
    }
    sel.route().requestHeaders().apply(mh);
    sel.virtualHost().requestHeaders().apply(mh);
    sel.table().requestHeaders().apply(mh);
    if (conn.h2 && !(request instanceof FullHttpRequest) && !HttpUtil.isContentLengthSet(request)
        && cluster != null && !cluster.cluster.http2()) {
      HttpUtil.setTransferEncodingChunked(request, true); // HTTP/2 → HTTP/1.1 with a streamed body
    }
  }

  /** Headers that differ per try: the host for auto_host_rewrite and x-envoy-attempt-count. */
  private void perAttemptHeaders(HttpHeaders hs, HostRuntime h) {
    if (forward != null && forward.autoHostRewrite() && forward.hostRewrite() == null) {
      hs.set(HttpHeaderNames.HOST, h.hostPort);
    }
    if (selection != null && selection.virtualHost().includeRequestAttemptCount()) {
      hs.set("x-envoy-attempt-count", Integer.toString(attempts));
    }
  }

  private String redirectLocation(RouteAction.Redirect r) {
    String authority = request.headers().get(HttpHeaderNames.HOST, "");
    String scheme = r.scheme() != null ? r.scheme() : "http";
    String host = r.host() != null ? r.host() : RouteTable.stripPort(authority);
    String port = "";
    if (r.port() != 0) {
      port = ":" + r.port();
    } else if (r.host() == null) {
      String stripped = RouteTable.stripPort(authority);
      if (stripped.length() < authority.length() && r.scheme() == null) {
        port = authority.substring(stripped.length());
      }
    }
    if ((scheme.equals("http") && port.equals(":80")) || (scheme.equals("https") && port.equals(":443"))) {
      port = "";
    }
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 || r.stripQuery() ? "" : uri.substring(q);
    if (r.path() != null) {
      int rq = r.path().indexOf('?');
      path = r.path();
      if (rq >= 0) {
        query = "";
      }
    } else if (r.prefixRewrite() != null && selection != null
        && selection.route().match().path() instanceof PathMatch.Prefix p) {
      path = r.prefixRewrite() + path.substring(Math.min(p.prefix().length(), path.length()));
    }
    return scheme + "://" + host + port + path + query;
  }

  void onRequestContent(HttpContent c) {
    if (c.decoderResult().isFailure()) {
      // A malformed body (e.g. a bad chunk size): the upstream never gets a complete request.
      c.release();
      requestComplete = true;
      hstats.protocolError.increment();
      conn.closeAfterResponse = true;
      if (finished) {
        conn.exchangeDone(this);
      } else if (!responseStarted) {
        abortAttempt();
        releaseRequest();
        localReply(400, "", LocalReplies.DPE, "http1.codec_error");
      } else {
        abortAfterStart(LocalReplies.DPE);
      }
      return;
    }
    log.bytesReceived += c.content().readableBytes();
    boolean last = c instanceof LastHttpContent;
    if (last) {
      requestComplete = true;
    }
    if (shadows != null && !discardBody) {
      for (ShadowRequest s : shadows) {
        s.addBody(c.retainedDuplicate());
      }
    }
    if (discardBody || finished) {
      c.release();
      if (last && finished) {
        conn.exchangeDone(this);
      }
      return;
    }
    if (last && forward != null) {
      armGlobalTimeout();
      if (attempt != null) {
        armPerTry(attempt);
      }
    }
    UpstreamAttempt a = attempt;
    UpstreamStream up = a == null || a.done ? null : a.stream;
    if (replay != null) {
      replay.add(c);
      replayBytes += c.content().readableBytes();
      if (up != null) {
        up.write(c.retainedDuplicate());
        up.flush();
      }
      if (replayBytes > MAX_BUFFERED) {
        stopBuffering(); // too big to retry or mirror further, as Envoy's buffer limit
      }
    } else if (up != null) {
      up.write(c);
      up.flush();
    } else {
      pendingBody.add(c);
      pendingBytes += c.content().readableBytes();
      if (pendingBytes > MAX_BUFFERED) {
        conn.ctx.channel().config().setAutoRead(false);
      }
      return;
    }
    if (up != null && !up.isWritable()) {
      conn.ctx.channel().config().setAutoRead(false);
    }
  }

  void onAttemptReady(UpstreamAttempt a) {
    UpstreamStream stream = a.stream;
    a.active = true;
    a.cluster.stats.rqActive.incrementAndGet();
    outlier(a, 0, OutlierMonitor.LocalResult.CONNECT_SUCCESS);
    upstreamStartNanos = System.nanoTime();
    log.upstreamLocal = stream.localAddress();
    a.requestStarted = true;
    if (replay != null) {
      HttpRequest head = copyHead();
      perAttemptHeaders(head.headers(), a.host);
      stream.write(head);
      for (HttpContent c : replay) {
        stream.write(c.retainedDuplicate());
      }
    } else {
      perAttemptHeaders(request.headers(), a.host);
      ownsRequest = false;
      stream.write(request);
      HttpContent c;
      while ((c = pendingBody.poll()) != null) {
        stream.write(c);
      }
      pendingBytes = 0;
    }
    stream.flush();
    if (!conn.h2 || conn.ctx.channel().isActive()) {
      conn.ctx.channel().config().setAutoRead(stream.isWritable());
    }
  }

  void onAttemptConnectFailed(UpstreamAttempt a, boolean timedOut, String reason) {
    log.transportFailure = reason;
    outlier(a, 0, OutlierMonitor.LocalResult.CONNECT_FAILED);
    a.host.rqError.increment();
    endAttempt(a, false);
    if (retry != null && retry.retriableReset(true, false) && tryRetry()) {
      return;
    }
    releaseRequest();
    localReply(503, timedOut ? LocalReplies.CONNECTION_TIMEOUT : LocalReplies.CONNECTION_FAILURE,
        LocalReplies.UF, timedOut ? "upstream_reset_before_response_started{connection_timeout}"
            : "upstream_reset_before_response_started{connection_failure}");
  }

  void onAttemptResponse(UpstreamAttempt a, HttpResponse r) {
    if (r.decoderResult().isFailure()) {
      a.cluster.stats.cxProtocolError.increment();
      if (!responseStarted) {
        abortAttempt();
        releaseRequest();
        localReply(502, LocalReplies.PROTOCOL_ERROR, LocalReplies.UPE,
            "upstream_reset_before_response_started{protocol_error}");
      } else {
        abortAfterStart(LocalReplies.UPE);
      }
      return;
    }
    int code = r.status().code();
    if (code == 100 && !conn.h2) {
      return; // we already answered 100-continue ourselves
    }
    outlier(a, code, null);
    if (retry != null && !responseStarted && retry.retriableResponse(code, r.headers().get("grpc-status"))) {
      if (tryRetry()) {
        a.cluster.stats.response(code);
        a.host.rqError.increment();
        endAttempt(a, false); // a full response object is released by onUpstreamContent
        if (!(r instanceof HttpContent)) {
          ReferenceCountUtil.release(r);
        }
        return;
      }
    } else if (attempts > 1) {
      a.cluster.stats.rqRetrySuccess.increment();
    }
    if (retryLimitHit) {
      addFlag(LocalReplies.URX);
    }
    responseStarted = true;
    stopBuffering();
    cancelPerTry(a);
    log.responseCode = code;
    a.cluster.stats.response(code);
    upstreamResponseKeepAlive = conn.h2 || a.cluster.cluster.http2() || HttpUtil.isKeepAlive(r);
    HttpHeaders hs = r.headers();
    long serviceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upstreamStartNanos);
    boolean switching = upgrade && code == 101;
    if (!switching) {
      hs.remove(HttpHeaderNames.CONNECTION);
      hs.remove(HttpHeaderNames.UPGRADE);
    }
    hs.remove("keep-alive");
    hs.remove("proxy-connection");
    hs.set("x-envoy-upstream-service-time", Long.toString(serviceMs));
    if (selection != null && selection.virtualHost().includeAttemptCountInResponse()) {
      hs.set("x-envoy-attempt-count", Integer.toString(attempts));
    }
    log.upstreamServiceTime = Long.toString(serviceMs);
    applyServerHeader(hs);
    applyResponseMutations(hs);
    runResponseFilters(hs);
    log.responseHeaders = hs;
    if (conn.h2) {
      hs.remove(HttpHeaderNames.TRANSFER_ENCODING);
    } else {
      if (r.protocolVersion() != HttpVersion.HTTP_1_1) {
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
      }
      boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r)
          || code == 204 || code == 304 || code / 100 == 1 || request.method().name().equals("HEAD");
      if (!framed) {
        if (downstreamKeepAlive && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
          HttpUtil.setTransferEncodingChunked(r, true);
        } else {
          conn.closeAfterResponse = true;
        }
      }
      if (!downstreamKeepAlive) {
        conn.closeAfterResponse = true;
      }
      if ((conn.px.isDraining() || conn.listener.draining)) {
        // Draining: tell HTTP/1.1 clients to go away after this response.
        hstats.cxDrainClose.increment();
        conn.closeAfterResponse = true;
      }
      if (conn.closeAfterResponse && !switching) {
        hs.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
    }
    if (switching) {
      conn.ctx.writeAndFlush(r);
      switchToTunnel();
      return;
    }
    if (r instanceof HttpContent) {
      return; // the same object goes through onUpstreamContent next
    }
    conn.ctx.write(r);
  }

  private void cancelPerTry(UpstreamAttempt a) {
    if (a.perTryTimer != null) {
      a.perTryTimer.cancel(false);
      a.perTryTimer = null;
    }
  }

  private void runResponseFilters(HttpHeaders hs) {
    for (int i = Math.min(filtersRun, filters.size()) - 1; i >= 0; i--) {
      filters.get(i).onResponseHeaders(this, hs);
    }
  }

  private void applyServerHeader(HttpHeaders hs) {
    switch (hcm.serverHeader()) {
      case OVERWRITE -> hs.set(HttpHeaderNames.SERVER, hcm.serverName());
      case APPEND_IF_ABSENT -> {
        if (!hs.contains(HttpHeaderNames.SERVER)) {
          hs.set(HttpHeaderNames.SERVER, hcm.serverName());
        }
      }
      case PASS_THROUGH -> { }
    }
  }

  private void applyResponseMutations(HttpHeaders hs) {
    if (selection == null) {
      return;
    }
    var mh = NettyRequestView.mutable(hs);
    if (weighted != null) {
      weighted.responseHeaders().apply(mh);
    }
    selection.route().responseHeaders().apply(mh);
    selection.virtualHost().responseHeaders().apply(mh);
    selection.table().responseHeaders().apply(mh);
  }

  void onAttemptContent(UpstreamAttempt a, HttpContent c) {
    if (finished || !responseStarted) {
      c.release();
      return;
    }
    log.bytesSent += c.content().readableBytes();
    boolean last = c instanceof LastHttpContent;
    conn.ctx.write(c);
    conn.ctx.flush();
    if (last) {
      complete();
    } else if (!conn.ctx.channel().isWritable() && a.stream != null) {
      a.stream.setAutoRead(false);
    }
  }

  void onAttemptClosed(UpstreamAttempt a) {
    a.cluster.stats.rqRxReset.increment();
    a.stream = null; // already gone
    if (!responseStarted) {
      outlier(a, 0, OutlierMonitor.LocalResult.CONNECT_FAILED);
      a.host.rqError.increment();
      boolean started = a.requestStarted;
      endAttempt(a, false);
      if (retry != null && retry.retriableReset(false, started) && tryRetry()) {
        return;
      }
      releaseRequest();
      localReply(503, LocalReplies.CONNECTION_TERMINATION, LocalReplies.UC,
          "upstream_reset_before_response_started{connection_termination}");
    } else {
      abortAfterStart(LocalReplies.UC);
    }
  }

  void onAttemptWritabilityChanged(boolean writable) {
    if (!finished && conn.isCurrent(this)) {
      conn.ctx.channel().config().setAutoRead(writable);
    }
  }

  void onDownstreamWritabilityChanged(boolean writable) {
    UpstreamAttempt a = attempt;
    if (a != null && a.stream != null && !finished) {
      a.stream.setAutoRead(writable);
    }
  }

  void onDownstreamClosed() {
    if (finished) {
      return;
    }
    addFlag(LocalReplies.DC);
    log.details = "downstream_remote_disconnect";
    if (!responseStarted) {
      log.responseCode = 0;
    }
    abortAttempt();
    finish(null);
  }

  private void onPerTryTimeout(UpstreamAttempt a) {
    a.perTryTimer = null;
    if (a.done || finished || responseStarted) {
      return;
    }
    a.cluster.stats.rqPerTryTimeout.increment();
    outlier(a, 0, OutlierMonitor.LocalResult.TIMEOUT);
    a.host.rqError.increment();
    endAttempt(a, false);
    if (retry != null && retry.retriablePerTryTimeout() && tryRetry()) {
      return;
    }
    timeoutReply();
  }

  private void onTimeout() {
    timeout = null;
    if (finished) {
      return;
    }
    if (cluster != null) {
      cluster.stats.rqTimeout.increment();
    }
    UpstreamAttempt a = attempt;
    if (a != null && !a.done && !responseStarted) {
      outlier(a, 0, OutlierMonitor.LocalResult.TIMEOUT);
    }
    abortAttempt();
    if (!responseStarted) {
      timeoutReply();
    } else {
      abortAfterStart(LocalReplies.UT);
    }
  }

  private void timeoutReply() {
    releaseRequest();
    localReply(504, LocalReplies.UPSTREAM_TIMEOUT, LocalReplies.UT, "upstream_response_timeout");
  }

  /** The upstream failed after the response head went downstream: close (H1) or reset (H2). */
  private void abortAfterStart(String flag) {
    log.details = "upstream_reset_after_response_started";
    abortAttempt();
    conn.closeAfterResponse = true;
    conn.ctx.close();
    finish(flag);
  }

  /** Releases the request and any body still held (never sent, or kept for retries). */
  private void releaseRequest() {
    HttpContent c;
    while ((c = pendingBody.poll()) != null) {
      c.release();
    }
    pendingBytes = 0;
    if (replay != null) {
      while ((c = replay.poll()) != null) {
        c.release();
      }
      replay = null;
    }
    if (ownsRequest) {
      ownsRequest = false;
      if (request instanceof HttpContent hc && hc.refCnt() > 0) {
        hc.release();
      }
    }
  }

  /** The response is complete downstream. */
  private void complete() {
    UpstreamAttempt a = attempt;
    if (a != null) {
      endAttempt(a, requestComplete && upstreamResponseKeepAlive);
    }
    if (conn.closeAfterResponse && !conn.h2) {
      conn.ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    finish(null);
  }

  /** Replaces the upstream pipeline pieces with raw relays after a 101 (websocket). */
  private void switchToTunnel() {
    UpstreamAttempt a = attempt;
    UpstreamStream u = a.stream;
    a.stream = null;
    a.done = true;
    if (a.active) {
      a.active = false;
      a.cluster.stats.rqActive.decrementAndGet();
    }
    a.host.activeRequests.decrementAndGet();
    var down = conn.ctx.channel();
    var up = u.channel();
    var dp = down.pipeline();
    var upp = up.pipeline();
    // Tunnel handlers first, then remove the HTTP codecs; leftover bytes flow into the relays.
    upp.addLast(new TunnelHandler(down));
    dp.addLast(new TunnelHandler(up));
    upp.remove(io.netty.handler.codec.http.HttpClientCodec.class);
    upp.remove(H1Upstream.class);
    for (var name : dp.names()) {
      var handler = dp.get(name);
      if (handler instanceof StrictRequestDecoder || handler instanceof io.netty.handler.codec.http.HttpResponseEncoder
          || handler instanceof HttpServerHandler || handler instanceof io.netty.handler.timeout.IdleStateHandler) {
        dp.remove(handler);
      }
    }
    up.config().setAutoRead(true);
    down.config().setAutoRead(true);
    log.details = "via_upstream";
    finish(null);
  }

  private void localReply(int status, String body, String flag, String details) {
    localReply(status, body, flag, details, null, null);
  }

  private void localReply(int status, String body, String flag, String details, @Nullable String location,
      @Nullable Consumer<HttpHeaders> extraHeaders) {
    if (finished) {
      return;
    }
    cancelTimeout();
    log.details = details;
    log.responseCode = status;
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ByteBuf content = bytes.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status), content);
    HttpHeaders hs = resp.headers();
    hs.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (bytes.length > 0) {
      hs.set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
    }
    if (location != null) {
      hs.set(HttpHeaderNames.LOCATION, location);
    }
    hs.set("date", io.netty.handler.codec.DateFormatter.format(new java.util.Date()));
    hs.set(HttpHeaderNames.SERVER, hcm.serverName());
    if (extraHeaders != null) {
      extraHeaders.accept(hs);
    }
    if (selection != null && !flag.equals(LocalReplies.NR)) {
      applyResponseMutations(hs);
    }
    if (retryLimitHit) {
      addFlag(LocalReplies.URX);
    }
    runResponseFilters(hs);
    log.responseHeaders = hs;
    log.bytesSent = bytes.length;
    boolean close = !conn.h2 && (conn.closeAfterResponse || !downstreamKeepAlive
        || (!requestComplete && !discardBody) || (conn.px.isDraining() || conn.listener.draining));
    if (!conn.h2 && (close || !requestComplete)) {
      // If the request body is still arriving we keep reading and discarding it.
      discardBody = true;
    }
    if (close) {
      conn.closeAfterResponse = true;
      hs.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      conn.ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    } else {
      conn.ctx.writeAndFlush(resp);
    }
    responseStarted = true;
    finish(flag);
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
    if (durationTimer != null) {
      durationTimer.cancel(false);
      durationTimer = null;
    }
  }

  private void finish(@Nullable String flag) {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimeout();
    abortAttempt();
    releaseRetry();
    if (!discardBody || requestComplete) {
      // Nothing more will be sent upstream.
      HttpContent c;
      while ((c = pendingBody.poll()) != null) {
        c.release();
      }
    }
    releaseRequest();
    if (faultActive) {
      hstats.activeFaults.decrementAndGet();
    }
    String f = flag == null || flag.equals("-") ? null : flag;
    log.flags = extraFlags == null ? (f == null ? "-" : f) : (f == null ? extraFlags : extraFlags + "," + f);
    hstats.rqActive.decrementAndGet();
    hstats.response(log.responseCode);
    if (attempt != null && (log.responseCode >= 500 || log.responseCode == 0)) {
      attempt.host.rqError.increment();
    }
    log.durationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    conn.px.accessLog(hcm, log);
    if (requestComplete || conn.h2) {
      conn.exchangeDone(this);
    }
    // else: exchangeDone runs when the rest of the request body has been read and dropped.
  }
}
