package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.cluster.OutlierMonitor;
import dev.sluice.proxy.core.route.HashPolicy;
import dev.sluice.proxy.core.route.MirrorPolicy;
import dev.sluice.proxy.core.route.RetryPolicy;
import dev.sluice.proxy.core.route.RouteAction;
import dev.sluice.proxy.core.route.RouteSelection;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The router half of an {@link Exchange} once a route forwards to a known cluster (Envoy's {@code
 * Router::Filter}): host choice, the upstream tries ({@link UpstreamAttempt}) with Envoy's retry
 * policy and back-off, the global and per-try timeouts, request mirroring, outlier reporting and
 * the circuit breakers. What reaches the client (response head, body, local replies) goes through
 * the exchange. Runs on the downstream channel's event loop.
 */
final class Router {
  private final Exchange ex;
  private final HttpServerHandler conn;
  final ClusterRuntime cluster;
  private final RouteAction.Forward forward;
  private final @Nullable RouteSelection selection;
  private final @Nullable RetryPolicy retry;
  private final Timeouts timeouts;
  private @Nullable UpstreamAttempt attempt;
  private int attempts;
  private final List<HostRuntime> triedHosts = new ArrayList<>(2);
  private boolean retryHeld;
  /** A retry was refused by num_retries: the reply carries URX. */
  boolean retryLimitHit;
  private @Nullable ScheduledFuture<?> backoffTimer;
  private @Nullable ScheduledFuture<?> timeout;
  private @Nullable List<ShadowRequest> shadows;
  private long upstreamStartNanos;
  boolean upstreamResponseKeepAlive;

  /** Prepares the request for {@code cluster}: timeouts, rewrites, the replay buffer. */
  Router(Exchange ex, ClusterRuntime cluster, RouteSelection sel, RouteAction.Forward f) {
    this.ex = ex;
    this.conn = ex.conn;
    this.cluster = cluster;
    this.forward = f;
    this.selection = sel;
    this.timeouts = Timeouts.compute(f, ex.request().headers());
    HeaderRules.rewriteRequest(ex.request(), sel, f, ex.weighted, ex.log, conn.h2 && !cluster.cluster.http2());
    this.retry = ex.upgrade ? null : f.retryPolicy();
    if (!ex.upgrade && (retry != null || !f.mirrors().isEmpty())) {
      ex.body.startReplay();
    }
  }

  /** Starts the mirrors and the first try. */
  void start(ConfigSnapshot snap) {
    if (!ex.upgrade) {
      startMirrors(snap);
    }
    if (ex.requestComplete) {
      armGlobalTimeout();
    }
    startAttempt();
  }

  @Nullable UpstreamAttempt attempt() {
    return attempt;
  }

  int attempts() {
    return attempts;
  }

  /** The stream of the current try, when it is open. */
  @Nullable UpstreamStream currentStream() {
    UpstreamAttempt a = attempt;
    return a == null || a.done ? null : a.stream;
  }

  /** The current try is waiting for its stream (it still needs the body so far). */
  boolean currentTryWaiting() {
    UpstreamAttempt a = attempt;
    return a != null && !a.done && a.stream == null;
  }

  /** Mirrors get each body chunk too. */
  void mirrorBody(HttpContent c) {
    if (shadows != null) {
      for (ShadowRequest s : shadows) {
        s.addBody(c.retainedDuplicate());
      }
    }
  }

  /** The request has fully arrived: the timeouts start now, as in Envoy. */
  void onRequestComplete() {
    armGlobalTimeout();
    if (attempt != null) {
      armPerTry(attempt);
    }
  }

  private void startMirrors(ConfigSnapshot snap) {
    for (MirrorPolicy m : forward.mirrors()) {
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
      HttpRequest head = ex.body.copyHead();
      String authority = head.headers().get(HttpHeaderNames.HOST, "");
      if (!m.disableShadowHostSuffix()) {
        head.headers().set(HttpHeaderNames.HOST, MirrorPolicy.shadowAuthority(authority));
      }
      ShadowRequest shadow = new ShadowRequest(mc, mc.hosts.get(idx), conn.worker, head);
      ex.body.forEachRetained(shadow::addBody);
      if (shadows == null) {
        shadows = new ArrayList<>(1);
      }
      shadows.add(shadow);
      shadow.start(timeouts.globalMs());
    }
  }

  /** Picks a host (avoiding tried ones with the previous-hosts predicate) and starts a try. */
  private void startAttempt() {
    ClusterRuntime c = cluster;
    Long hash = forward.hashPolicies().isEmpty() ? null
        : HashPolicy.compute(forward.hashPolicies(), new NettyRequestView(ex.request(), conn.remoteIp));
    HostRuntime h;
    if (c.originalDst != null) {
      h = c.originalDstHost(originalDestination(c));
    } else {
      int tries = retry != null && retry.previousHosts() && !triedHosts.isEmpty()
          ? retry.hostSelectionMaxAttempts() : 1;
      int idx = -1;
      for (int i = 0; i < tries; i++) {
        idx = c.balancer.pick(hash, ThreadLocalRandom.current());
        if (idx < 0 || !triedHosts.contains(c.hosts.get(idx))) {
          break;
        }
      }
      h = idx < 0 ? null : c.hosts.get(idx);
    }
    if (h == null) {
      ex.discardAndReply(503, LocalReplies.NO_HEALTHY_UPSTREAM, LocalReplies.UH, "no_healthy_upstream");
      return;
    }
    if (c.stats.rqActive.get() >= c.cluster.circuitBreakers().maxRequests()) {
      overflow(c);
      return;
    }
    triedHosts.add(h);
    attempts++;
    c.stats.rqTotal.increment();
    h.rqTotal.increment();
    h.activeRequests.incrementAndGet();
    ex.log.upstreamHost = h.hostPort;
    UpstreamAttempt a = new UpstreamAttempt(this, c, h);
    attempt = a;
    if (ex.upgrade) {
      conn.worker.connectH1(c, h, a);
    } else if (!conn.worker.acquire(c, h, a)) {
      endAttempt(a, false);
      overflow(c);
      return;
    }
    if (!a.done && ex.requestComplete) {
      armPerTry(a);
    }
  }

  /**
   * Where an ORIGINAL_DST cluster sends this request: the cluster's {@code use_http_header} header
   * when present, else the request's authority (the local platform's http_proxy mode, where the
   * client names its destination; there is no iptables redirection to recover it from).
   */
  private String originalDestination(ClusterRuntime c) {
    var headers = ex.request().headers();
    String header = c.cluster.originalDstHeader();
    String v = header.isEmpty() ? null : headers.get(header);
    if (v == null) {
      v = headers.get(HttpHeaderNames.HOST);
    }
    return v == null ? "" : v;
  }

  private void overflow(ClusterRuntime c) {
    if (attempts == 0) {
      c.stats.rqPendingOverflow.increment();
    }
    ex.discardAndReply(503, LocalReplies.OVERFLOW, LocalReplies.UO, "upstream_reset_before_response_started{overflow}");
  }

  private void armGlobalTimeout() {
    if (timeouts.globalMs() > 0 && timeout == null && !ex.isFinished()) {
      timeout = conn.ctx.channel().eventLoop().schedule(this::onTimeout, timeouts.globalMs(), TimeUnit.MILLISECONDS);
    }
  }

  void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  private void armPerTry(UpstreamAttempt a) {
    if (timeouts.perTryMs() > 0 && a.perTryTimer == null && !a.done) {
      a.perTryTimer = conn.ctx.channel().eventLoop().schedule(() -> onPerTryTimeout(a),
          timeouts.perTryMs(), TimeUnit.MILLISECONDS);
    }
  }

  private static void cancelPerTry(UpstreamAttempt a) {
    if (a.perTryTimer != null) {
      a.perTryTimer.cancel(false);
      a.perTryTimer = null;
    }
  }

  /** Ends a try: releases (or returns to its pool) its stream and its counters. */
  void endAttempt(UpstreamAttempt a, boolean reusable) {
    if (a.done) {
      return;
    }
    a.done = true;
    cancelPerTry(a);
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

  /** Abandons the current try and any pending back-off. */
  void abortAttempt() {
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
    if (p == null || !ex.body.replaying() || ex.responseStarted || ex.isFinished()) {
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
      if (ex.isFinished()) {
        return;
      }
      c.stats.rqRetry.increment();
      startAttempt();
    }, delay, TimeUnit.MILLISECONDS);
    return true;
  }

  /** Gives back the max_retries resource held by a scheduled retry. */
  void releaseRetry() {
    if (retryHeld) {
      retryHeld = false;
      cluster.stats.retriesActive.decrementAndGet();
    }
  }

  // ---- events of the current try (from UpstreamAttempt) ----

  void onAttemptReady(UpstreamAttempt a) {
    UpstreamStream stream = a.stream;
    a.active = true;
    a.cluster.stats.rqActive.incrementAndGet();
    outlier(a, 0, OutlierMonitor.LocalResult.CONNECT_SUCCESS);
    upstreamStartNanos = System.nanoTime();
    ex.log.upstreamLocal = stream.localAddress();
    ex.log.transportFailure = "-"; // the access log describes the try that is used
    a.requestStarted = true;
    ex.body.sendTo(stream, hs -> HeaderRules.perAttemptHeaders(hs, a.host, forward, selection, attempts));
    stream.flush();
    if (!conn.h2 || conn.ctx.channel().isActive()) {
      conn.ctx.channel().config().setAutoRead(stream.isWritable());
    }
  }

  void onAttemptConnectFailed(UpstreamAttempt a, boolean timedOut, String reason) {
    ex.log.transportFailure = reason;
    outlier(a, 0, OutlierMonitor.LocalResult.CONNECT_FAILED);
    a.host.rqError.increment();
    endAttempt(a, false);
    if (retry != null && retry.retriableReset(true, false) && tryRetry()) {
      return;
    }
    ex.releaseAndReply(503, timedOut ? LocalReplies.CONNECTION_TIMEOUT : LocalReplies.CONNECTION_FAILURE,
        LocalReplies.UF, timedOut ? "upstream_reset_before_response_started{connection_timeout}"
            : "upstream_reset_before_response_started{connection_failure}");
  }

  void onAttemptResponse(UpstreamAttempt a, HttpResponse r) {
    if (r.decoderResult().isFailure()) {
      a.cluster.stats.cxProtocolError.increment();
      if (!ex.responseStarted) {
        abortAttempt();
        ex.releaseAndReply(502, LocalReplies.PROTOCOL_ERROR, LocalReplies.UPE,
            "upstream_reset_before_response_started{protocol_error}");
      } else {
        ex.abortAfterStart(LocalReplies.UPE);
      }
      return;
    }
    int code = r.status().code();
    if (code == 100 && !conn.h2) {
      return; // we already answered 100-continue ourselves
    }
    outlier(a, code, null);
    if (retry != null && !ex.responseStarted && retry.retriableResponse(code, r.headers().get(HeaderRules.GRPC_STATUS))) {
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
      ex.addFlag(LocalReplies.URX);
    }
    ex.responseStarted = true;
    ex.body.stopBuffering(currentTryWaiting());
    cancelPerTry(a);
    ex.log.responseCode = code;
    a.cluster.stats.response(code);
    upstreamResponseKeepAlive = conn.h2 || a.cluster.cluster.http2() || HttpUtil.isKeepAlive(r);
    long serviceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upstreamStartNanos);
    if (ex.sendResponseHead(r, serviceMs, attempts)) {
      switchToTunnel(a);
    }
  }

  void onAttemptContent(UpstreamAttempt a, HttpContent c) {
    ex.sendResponseContent(c, a.stream);
  }

  void onAttemptClosed(UpstreamAttempt a) {
    a.cluster.stats.rqRxReset.increment();
    a.stream = null; // already gone
    if (!ex.responseStarted) {
      outlier(a, 0, OutlierMonitor.LocalResult.CONNECT_FAILED);
      a.host.rqError.increment();
      boolean started = a.requestStarted;
      endAttempt(a, false);
      if (retry != null && retry.retriableReset(false, started) && tryRetry()) {
        return;
      }
      ex.releaseAndReply(503, LocalReplies.CONNECTION_TERMINATION, LocalReplies.UC,
          "upstream_reset_before_response_started{connection_termination}");
    } else {
      ex.abortAfterStart(LocalReplies.UC);
    }
  }

  void onAttemptWritabilityChanged(boolean writable) {
    ex.onUpstreamWritabilityChanged(writable);
  }

  private void onPerTryTimeout(UpstreamAttempt a) {
    a.perTryTimer = null;
    if (a.done || ex.isFinished() || ex.responseStarted) {
      return;
    }
    a.cluster.stats.rqPerTryTimeout.increment();
    outlier(a, 0, OutlierMonitor.LocalResult.TIMEOUT);
    a.host.rqError.increment();
    endAttempt(a, false);
    if (retry != null && retry.retriablePerTryTimeout() && tryRetry()) {
      return;
    }
    ex.timeoutReply();
  }

  private void onTimeout() {
    timeout = null;
    if (ex.isFinished()) {
      return;
    }
    cluster.stats.rqTimeout.increment();
    UpstreamAttempt a = attempt;
    if (a != null && !a.done && !ex.responseStarted) {
      outlier(a, 0, OutlierMonitor.LocalResult.TIMEOUT);
    }
    abortAttempt();
    if (!ex.responseStarted) {
      ex.timeoutReply();
    } else {
      ex.abortAfterStart(LocalReplies.UT);
    }
  }

  /** Replaces the upstream pipeline pieces with raw relays after a 101 (websocket). */
  private void switchToTunnel(UpstreamAttempt a) {
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
          || handler instanceof HttpServerHandler) {
        dp.remove(handler);
      }
    }
    up.config().setAutoRead(true);
    down.config().setAutoRead(true);
    ex.tunnelled();
  }
}
