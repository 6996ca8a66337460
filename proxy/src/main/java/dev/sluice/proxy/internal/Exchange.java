package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.filter.CorsPolicy;
import dev.sluice.proxy.core.listener.HttpConnectionManager;
import dev.sluice.proxy.core.listener.RouteSource;
import dev.sluice.proxy.core.route.ClusterSpecifier;
import dev.sluice.proxy.core.route.RouteAction;
import dev.sluice.proxy.core.route.RouteSelection;
import dev.sluice.proxy.core.route.RouteTable;
import dev.sluice.proxy.core.route.WeightedCluster;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One request through the connection manager (Envoy's {@code ActiveStream}): route selection, the
 * HTTP filters ({@link HttpFilter}), then direct responses, redirects or the {@link Router};
 * response forwarding, local replies with Envoy's flags and texts, the route's max stream
 * duration, statistics and the access log. Runs entirely on the downstream channel's event loop.
 *
 * <p>The request body goes through a {@link RequestBody}, which keeps it while a retry or a mirror
 * may still need it; header rules live in {@link HeaderRules}.
 */
final class Exchange {
  final HttpServerHandler conn;
  private final HttpConnectionManager hcm;
  private final HttpRequest request;
  private final Stats.HttpStats hstats;
  private final List<HttpFilter> filters;
  final LogEntry log = new LogEntry();
  final RequestBody body;
  private final long startNanos = System.nanoTime();
  private final boolean downstreamKeepAlive;

  boolean requestComplete;
  boolean responseStarted;
  private boolean finished;
  private boolean discardBody;
  boolean upgrade;
  private int filterIndex;
  private int filtersRun;
  private @Nullable String extraFlags;
  private boolean faultActive;
  /** Set by the CORS filter for the response. */
  @Nullable String corsOrigin;
  CorsPolicy.@Nullable Resolved corsPolicy;

  private @Nullable RouteSelection selection;
  @Nullable WeightedCluster weighted;
  private @Nullable Router router;
  private @Nullable ScheduledFuture<?> durationTimer;
  private @Nullable ExchangeTelemetry telemetry;

  Exchange(HttpServerHandler conn, HttpConnectionManager hcm, HttpRequest request) {
    this.conn = conn;
    this.hcm = hcm;
    this.request = request;
    this.body = new RequestBody(request);
    this.hstats = conn.httpStats(hcm);
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

  void filterLocalReply(int status, String body, String flag, String details,
      @Nullable Consumer<HttpHeaders> headers) {
    discardBody = true;
    releaseRequest();
    localReply(status, body, flag, details, null, headers);
  }

  // ---- request path ----

  void start() {
    hstats.rqTotal.increment();
    hstats.rqActive.incrementAndGet();
    if (request instanceof LastHttpContent last) {
      requestComplete = true;
      log.bytesReceived += last.content().readableBytes();
    }
    RequestAdmission.Rejection rejected = RequestAdmission.check(request, hcm, conn.h2);
    log.path = request.uri(); // origin-form once an absolute-form target was rewritten
    if (rejected != null) {
      if (rejected.protocolError()) {
        hstats.protocolError.increment();
      }
      if (rejected.closeConnection()) {
        conn.closeAfterResponse = true;
      }
      discardAndReply(rejected.status(), "", LocalReplies.DPE, rejected.details());
      return;
    }
    ConfigSnapshot snap = conn.px.snapshot();
    RouteTable table = switch (hcm.routes()) {
      case RouteSource.Inline i -> i.table();
      case RouteSource.Rds r -> snap.routes().get(r.routeConfigName());
    };
    upgrade = HeaderRules.prepareStandardHeaders(conn, hcm, request);
    telemetry = ExchangeTelemetry.start(conn, hcm, request);
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
      discardAndReply(404, "", LocalReplies.NR, "route_not_found");
      return;
    }
    switch (sel.route().action()) {
      case RouteAction.DirectResponse d -> {
        hstats.directResponse.increment();
        discardAndReply(d.status(), d.body(), "-", "direct_response");
      }
      case RouteAction.Redirect r -> {
        discardBody = true;
        String location = HeaderRules.redirectLocation(request, r, selection);
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
      if (router != null) {
        router.cluster.stats.rqMaxDuration.increment();
      }
      abortAttempt();
      if (!responseStarted) {
        releaseAndReply(requestComplete ? 504 : 408, "downstream duration timeout", "DT", "max_duration_timeout");
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
      discardAndReply(503, "", LocalReplies.NC, "cluster_not_found");
      return;
    }
    log.upstreamServices = c.cluster.istioServices();
    Router r = new Router(this, c, sel, f);
    router = r;
    r.start(snap);
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
        releaseAndReply(400, "", LocalReplies.DPE, "http1.codec_error");
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
    Router r = router;
    if (r != null && !discardBody) {
      r.mirrorBody(c);
    }
    if (discardBody || finished) {
      c.release();
      if (last && finished) {
        conn.exchangeDone(this);
      }
      return;
    }
    if (last && r != null) {
      r.onRequestComplete();
    }
    UpstreamStream up = r == null ? null : r.currentStream();
    if (body.add(c, up, r != null && r.currentTryWaiting())) {
      conn.ctx.channel().config().setAutoRead(false);
    }
  }

  // ---- response path ----

  /**
   * Sends an upstream response head downstream: hop-by-hop headers, {@code
   * x-envoy-upstream-service-time}, server header, mutations, response filters and HTTP/1.1
   * framing.
   *
   * @return whether this is a 101 that switched the connection to a tunnel (the caller relays)
   */
  boolean sendResponseHead(HttpResponse r, long serviceMs, int attempts) {
    int code = r.status().code();
    HttpHeaders hs = r.headers();
    boolean switching = upgrade && code == 101;
    HeaderRules.upstreamResponseHeaders(hs, switching, serviceMs,
        selection != null && selection.virtualHost().includeAttemptCountInResponse() ? attempts : 0);
    log.upstreamServiceTime = Long.toString(serviceMs);
    HeaderRules.applyServerHeader(hcm, hs);
    HeaderRules.applyResponseMutations(selection, weighted, hs);
    runResponseFilters(hs);
    log.responseHeaders = hs;
    if (conn.h2) {
      hs.remove(HttpHeaderNames.TRANSFER_ENCODING);
    } else {
      if (!HeaderRules.frameHttp1(r, request, downstreamKeepAlive)) {
        conn.closeAfterResponse = true; // the body ends when the connection closes
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
      return true;
    }
    if (!(r instanceof HttpContent)) {
      // Void promises: nothing listens to a response write; a failure reaches exceptionCaught
      // (which closes the connection) instead of a promise allocated and completed per write.
      conn.ctx.write(r, conn.ctx.voidPromise()); // else the same object goes through sendResponseContent next
    }
    return false;
  }

  /** An upstream body chunk for the client; the last one completes the exchange. */
  void sendResponseContent(HttpContent c, @Nullable UpstreamStream from) {
    if (finished || !responseStarted) {
      c.release();
      return;
    }
    log.bytesSent += c.content().readableBytes();
    boolean last = c instanceof LastHttpContent;
    if (last && telemetry != null) {
      telemetry.onResponseTrailers(((LastHttpContent) c).trailingHeaders());
    }
    conn.ctx.write(c, conn.ctx.voidPromise());
    conn.ctx.flush();
    if (last) {
      complete();
    } else if (!conn.ctx.channel().isWritable() && from != null) {
      from.setAutoRead(false);
    }
  }

  /** The connection became a websocket tunnel after a 101. */
  void tunnelled() {
    log.details = "via_upstream";
    finish(null);
  }

  private void runResponseFilters(HttpHeaders hs) {
    if (telemetry != null) {
      telemetry.onResponseHeaders(hs);
    }
    for (int i = Math.min(filtersRun, filters.size()) - 1; i >= 0; i--) {
      filters.get(i).onResponseHeaders(this, hs);
    }
  }

  void onUpstreamWritabilityChanged(boolean writable) {
    if (!finished && conn.isCurrent(this)) {
      conn.ctx.channel().config().setAutoRead(writable);
    }
  }

  void onDownstreamWritabilityChanged(boolean writable) {
    UpstreamStream s = router == null || finished ? null : router.currentStream();
    if (s != null) {
      s.setAutoRead(writable);
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

  void timeoutReply() {
    releaseAndReply(504, LocalReplies.UPSTREAM_TIMEOUT, LocalReplies.UT, "upstream_response_timeout");
  }

  /** The upstream failed after the response head went downstream: close (H1) or reset (H2). */
  void abortAfterStart(String flag) {
    log.details = "upstream_reset_after_response_started";
    abortAttempt();
    conn.closeAfterResponse = true;
    conn.ctx.close();
    finish(flag);
  }

  private void abortAttempt() {
    if (router != null) {
      router.abortAttempt();
    }
  }

  private void releaseRequest() {
    body.release();
  }

  /** The response is complete downstream. */
  private void complete() {
    Router r = router;
    UpstreamAttempt a = r == null ? null : r.attempt();
    if (a != null) {
      r.endAttempt(a, requestComplete && r.upstreamResponseKeepAlive);
    }
    if (conn.closeAfterResponse && !conn.h2) {
      conn.ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    finish(null);
  }

  /** A local reply that drops the rest of the request body. */
  void discardAndReply(int status, String text, String flag, String details) {
    discardBody = true;
    releaseAndReply(status, text, flag, details);
  }

  /** Releases what is held of the request and replies locally. */
  void releaseAndReply(int status, String text, String flag, String details) {
    releaseRequest();
    localReply(status, text, flag, details, null, null);
  }

  private void localReply(int status, String text, String flag, String details, @Nullable String location,
      @Nullable Consumer<HttpHeaders> extraHeaders) {
    if (finished) {
      return;
    }
    cancelTimers();
    log.details = details;
    log.responseCode = status;
    FullHttpResponse resp = LocalReplies.response(status, text, location, hcm.serverName());
    HttpHeaders hs = resp.headers();
    if (extraHeaders != null) {
      extraHeaders.accept(hs);
    }
    if (selection != null && !flag.equals(LocalReplies.NR)) {
      HeaderRules.applyResponseMutations(selection, weighted, hs);
    }
    if (router != null && router.retryLimitHit) {
      addFlag(LocalReplies.URX);
    }
    runResponseFilters(hs);
    log.responseHeaders = hs;
    log.bytesSent = resp.content().readableBytes();
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

  private void cancelTimers() {
    if (router != null) {
      router.cancelTimeout();
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
    cancelTimers();
    Router r = router;
    if (r != null) {
      r.abortAttempt();
      r.releaseRetry();
    }
    if (!discardBody || requestComplete) {
      body.releasePending(); // nothing more will be sent upstream
    }
    releaseRequest();
    if (faultActive) {
      hstats.activeFaults.decrementAndGet();
    }
    String f = flag == null || flag.equals("-") ? null : flag;
    log.flags = extraFlags == null ? (f == null ? "-" : f) : (f == null ? extraFlags : extraFlags + "," + f);
    hstats.rqActive.decrementAndGet();
    hstats.response(log.responseCode);
    UpstreamAttempt a = r == null ? null : r.attempt();
    if (a != null && (log.responseCode >= 500 || log.responseCode == 0)) {
      a.host.rqError.increment();
    }
    long nanos = System.nanoTime() - startNanos;
    log.durationMillis = TimeUnit.NANOSECONDS.toMillis(nanos);
    conn.px.accessLog(hcm, log);
    if (telemetry != null) {
      telemetry.finish(log, nanos);
    }
    if (requestComplete || conn.h2) {
      conn.exchangeDone(this);
    }
    // else: exchangeDone runs when the rest of the request body has been read and dropped.
  }
}
