package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.listener.HttpConnectionManager;
import dev.sluice.proxy.core.route.ClusterSpecifier;
import dev.sluice.proxy.core.route.HashPolicy;
import dev.sluice.proxy.core.route.HeaderMutation;
import dev.sluice.proxy.core.route.PathMatch;
import dev.sluice.proxy.core.route.RouteAction;
import dev.sluice.proxy.core.route.RouteSelection;
import dev.sluice.proxy.core.route.RouteTable;
import dev.sluice.proxy.core.route.WeightedCluster;
import dev.sluice.proxy.core.listener.RouteSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
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
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One request through the router: route selection, cluster and host choice, the upstream
 * exchange, response forwarding, local replies with Envoy's flags and texts, statistics and the
 * access log. Runs entirely on the downstream channel's event loop.
 */
final class Exchange implements UpstreamCallbacks {
  private static final long MAX_BUFFERED = 1 << 20;

  private final HttpServerHandler conn;
  private final HttpConnectionManager hcm;
  private final HttpRequest request;
  private final Stats.HttpStats hstats;
  private final LogEntry log = new LogEntry();
  private final long startNanos = System.nanoTime();
  private final boolean downstreamKeepAlive;

  boolean requestComplete;
  private boolean responseStarted;
  private boolean finished;
  private boolean discardBody;
  private boolean upgrade;
  private @Nullable RouteSelection selection;
  private @Nullable WeightedCluster weighted;
  private @Nullable ClusterRuntime cluster;
  private @Nullable HostRuntime host;
  private @Nullable UpstreamStream upstream;
  private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>();
  private long pendingBytes;
  private long upstreamStartNanos;
  private @Nullable ScheduledFuture<?> timeout;
  private boolean hostCounted;
  private boolean upstreamResponseKeepAlive;
  private boolean sent;

  Exchange(HttpServerHandler conn, HttpConnectionManager hcm, HttpRequest request) {
    this.conn = conn;
    this.hcm = hcm;
    this.request = request;
    this.hstats = conn.px.httpStats(hcm.statPrefix());
    this.downstreamKeepAlive = conn.h2 || HttpUtil.isKeepAlive(request);
    log.startEpochMillis = System.currentTimeMillis();
    log.method = request.method().name();
    log.path = request.uri();
    log.protocol = conn.h2 ? "HTTP/2" : request.protocolVersion().text();
    log.downstreamRemote = conn.remoteAddress;
    log.downstreamLocal = conn.localAddress;
    log.requestHeaders = request.headers();
  }

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
      ReferenceCountUtil.release(request);
      localReply(status, "", LocalReplies.DPE, status == 431 ? "http1.headers_too_large" : "http1.codec_error");
      return;
    }
    if (!conn.h2 && request.headers().size() > hcm.maxHeadersCount()) {
      discardBody = true;
      conn.closeAfterResponse = true;
      ReferenceCountUtil.release(request);
      localReply(431, "", LocalReplies.DPE, "http1.too_many_headers");
      return;
    }
    String authority = request.headers().get(HttpHeaderNames.HOST);
    if (authority == null || authority.isEmpty()) {
      // HTTP/1.1 requires Host; a request without one cannot be routed by domain either.
      discardBody = true;
      ReferenceCountUtil.release(request);
      localReply(400, "", LocalReplies.DPE, "missing_host_header");
      return;
    }
    route();
  }

  private void route() {
    ConfigSnapshot snap = conn.px.snapshot();
    RouteTable table = switch (hcm.routes()) {
      case RouteSource.Inline i -> i.table();
      case RouteSource.Rds r -> snap.routes().get(r.routeConfigName());
    };
    prepareStandardHeaders();
    RouteSelection sel = table == null ? null
        : table.select(new NettyRequestView(request, conn.remoteIp));
    if (sel == null) {
      hstats.noRoute.increment();
      discardBody = true;
      ReferenceCountUtil.release(request);
      localReply(404, "", LocalReplies.NR, "route_not_found");
      return;
    }
    selection = sel;
    log.routeName = sel.route().name();
    switch (sel.route().action()) {
      case RouteAction.DirectResponse d -> {
        hstats.directResponse.increment();
        discardBody = true;
        ReferenceCountUtil.release(request);
        localReply(d.status(), d.body(), "-", "direct_response");
      }
      case RouteAction.Redirect r -> {
        discardBody = true;
        String location = redirectLocation(r);
        ReferenceCountUtil.release(request);
        localReply(r.status(), "", "-", "via_redirect", location);
      }
      case RouteAction.Forward f -> forward(snap, sel, f);
    }
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
      ReferenceCountUtil.release(request);
      localReply(503, "", LocalReplies.NC, "cluster_not_found");
      return;
    }
    cluster = c;
    c.stats.rqTotal.increment();
    Long hash = f.hashPolicies().isEmpty() ? null
        : HashPolicy.compute(f.hashPolicies(), new NettyRequestView(request, conn.remoteIp));
    int idx = c.balancer.pick(hash, ThreadLocalRandom.current());
    if (idx < 0) {
      discardBody = true;
      ReferenceCountUtil.release(request);
      localReply(503, LocalReplies.NO_HEALTHY_UPSTREAM, LocalReplies.UH, "no_healthy_upstream");
      return;
    }
    if (c.stats.rqActive.get() >= c.cluster.circuitBreakers().maxRequests()) {
      c.stats.rqPendingOverflow.increment();
      discardBody = true;
      ReferenceCountUtil.release(request);
      localReply(503, LocalReplies.OVERFLOW, LocalReplies.UO, "upstream_reset_before_response_started{overflow}");
      return;
    }
    HostRuntime h = c.hosts.get(idx);
    host = h;
    hostCounted = true;
    h.activeRequests.incrementAndGet();
    h.rqTotal.increment();
    c.stats.rqActive.incrementAndGet();
    log.upstreamHost = h.hostPort;
    rewriteRequest(sel, f, h);
    if (!f.timeout().isZero()) {
      timeout = conn.ctx.channel().eventLoop().schedule(this::onTimeout, f.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    if (upgrade) {
      conn.worker.connectH1(c, h, this);
    } else {
      conn.worker.acquire(c, h, this);
    }
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

  private void rewriteRequest(RouteSelection sel, RouteAction.Forward f, HostRuntime h) {
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
    } else if (f.autoHostRewrite()) {
      hs.set(HttpHeaderNames.HOST, h.hostPort);
    }
    if (!f.timeout().isZero()) {
      hs.set("x-envoy-expected-rq-timeout-ms", Long.toString(f.timeout().toMillis()));
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
        abortUpstream();
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
    if (discardBody || finished) {
      c.release();
      if (last && finished) {
        conn.exchangeDone(this);
      }
      return;
    }
    if (upstream != null) {
      upstream.write(c);
      upstream.flush();
      if (!upstream.isWritable()) {
        conn.ctx.channel().config().setAutoRead(false);
      }
    } else {
      pendingBody.add(c);
      pendingBytes += c.content().readableBytes();
      if (pendingBytes > MAX_BUFFERED) {
        conn.ctx.channel().config().setAutoRead(false);
      }
    }
  }

  @Override
  public void onUpstreamReady(UpstreamStream stream) {
    if (finished) {
      stream.release(false);
      return;
    }
    upstream = stream;
    upstreamStartNanos = System.nanoTime();
    log.upstreamLocal = stream.localAddress();
    sent = true;
    stream.write(request);
    HttpContent c;
    while ((c = pendingBody.poll()) != null) {
      stream.write(c);
    }
    pendingBytes = 0;
    stream.flush();
    if (!conn.h2 || conn.ctx.channel().isActive()) {
      conn.ctx.channel().config().setAutoRead(stream.isWritable());
    }
  }

  @Override
  public void onUpstreamConnectFailed(boolean timedOut, String reason) {
    if (finished) {
      return;
    }
    log.transportFailure = reason;
    releaseRequest();
    localReply(503, timedOut ? LocalReplies.CONNECTION_TIMEOUT : LocalReplies.CONNECTION_FAILURE,
        LocalReplies.UF, timedOut ? "upstream_reset_before_response_started{connection_timeout}"
            : "upstream_reset_before_response_started{connection_failure}");
  }

  @Override
  public void onUpstreamResponse(HttpResponse r) {
    if (finished) {
      return;
    }
    if (r.decoderResult().isFailure()) {
      if (cluster != null) {
        cluster.stats.cxProtocolError.increment();
      }
      if (!responseStarted) {
        abortUpstream();
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
    responseStarted = true;
    log.responseCode = code;
    if (cluster != null) {
      cluster.stats.response(code);
    }
    upstreamResponseKeepAlive = conn.h2 || cluster == null || cluster.cluster.http2() || HttpUtil.isKeepAlive(r);
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
    log.upstreamServiceTime = Long.toString(serviceMs);
    applyServerHeader(hs);
    applyResponseMutations(hs);
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

  @Override
  public void onUpstreamContent(HttpContent c) {
    if (finished || !responseStarted) {
      c.release();
      return;
    }
    log.bytesSent += c.content().readableBytes();
    boolean last = c instanceof LastHttpContent;
    if (c instanceof HttpResponse) {
      conn.ctx.write(c); // a full response object: head and body together
    } else {
      conn.ctx.write(c);
    }
    if (last) {
      conn.ctx.flush();
      complete();
    } else {
      conn.ctx.flush();
      if (!conn.ctx.channel().isWritable() && upstream != null) {
        upstream.setAutoRead(false);
      }
    }
  }

  @Override
  public void onUpstreamClosed() {
    if (finished) {
      return;
    }
    if (cluster != null) {
      cluster.stats.rqRxReset.increment();
    }
    upstream = null;
    if (!responseStarted) {
      releaseRequest();
      localReply(503, LocalReplies.CONNECTION_TERMINATION, LocalReplies.UC,
          "upstream_reset_before_response_started{connection_termination}");
    } else {
      abortAfterStart(LocalReplies.UC);
    }
  }

  @Override
  public void onUpstreamWritabilityChanged(boolean writable) {
    if (!finished && conn.isCurrent(this)) {
      conn.ctx.channel().config().setAutoRead(writable);
    }
  }

  void onDownstreamWritabilityChanged(boolean writable) {
    if (upstream != null && !finished) {
      upstream.setAutoRead(writable);
    }
  }

  void onDownstreamClosed() {
    if (finished) {
      return;
    }
    log.flags = LocalReplies.DC;
    log.details = "downstream_remote_disconnect";
    if (!responseStarted) {
      log.responseCode = 0;
    }
    abortUpstream();
    finish();
  }

  private void onTimeout() {
    timeout = null;
    if (finished) {
      return;
    }
    if (cluster != null) {
      cluster.stats.rqTimeout.increment();
    }
    abortUpstream();
    if (!responseStarted) {
      localReply(504, LocalReplies.UPSTREAM_TIMEOUT, LocalReplies.UT, "upstream_response_timeout");
    } else {
      abortAfterStart(LocalReplies.UT);
    }
  }

  /** The upstream failed after the response head went downstream: close (H1) or reset (H2). */
  private void abortAfterStart(String flag) {
    log.flags = flag;
    log.details = "upstream_reset_after_response_started";
    abortUpstream();
    conn.closeAfterResponse = true;
    conn.ctx.close();
    finish();
  }

  private void abortUpstream() {
    UpstreamStream u = upstream;
    upstream = null;
    if (u != null) {
      u.release(false);
    }
    releaseRequest();
  }

  private void releaseRequest() {
    HttpContent c;
    while ((c = pendingBody.poll()) != null) {
      c.release();
    }
    if (!sent && request instanceof HttpContent hc && hc.refCnt() > 0) {
      hc.release();
    }
  }

  /** The response is complete downstream. */
  private void complete() {
    UpstreamStream u = upstream;
    upstream = null;
    if (u != null) {
      u.release(requestComplete && upstreamResponseKeepAlive);
    }
    if (conn.closeAfterResponse && !conn.h2) {
      conn.ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    finish();
  }

  /** Replaces the upstream pipeline pieces with raw relays after a 101 (websocket). */
  private void switchToTunnel() {
    UpstreamStream u = upstream;
    upstream = null;
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
    finish();
  }

  private void localReply(int status, String body, String flag, String details) {
    localReply(status, body, flag, details, null);
  }

  private void localReply(int status, String body, String flag, String details, @Nullable String location) {
    if (finished) {
      return;
    }
    cancelTimeout();
    log.flags = flag;
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
    if (selection != null && !flag.equals(LocalReplies.NR)) {
      applyResponseMutations(hs);
    }
    log.responseHeaders = hs;
    log.bytesSent = bytes.length;
    boolean close = !conn.h2 && (conn.closeAfterResponse || !downstreamKeepAlive
        || (!requestComplete && !discardBody));
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
    finish();
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimeout();
    hstats.rqActive.decrementAndGet();
    hstats.response(log.responseCode);
    if (cluster != null && hostCounted) {
      cluster.stats.rqActive.decrementAndGet();
      if (host != null) {
        host.activeRequests.decrementAndGet();
        if (log.responseCode >= 500 || log.responseCode == 0) {
          host.rqError.increment();
        }
      }
    }
    log.durationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    conn.px.accessLog(hcm, log);
    if (requestComplete || conn.h2) {
      conn.exchangeDone(this);
    }
    // else: exchangeDone runs when the rest of the request body has been read and dropped.
  }
}
