package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.listener.HttpConnectionManager;
import dev.sluice.proxy.core.route.PathMatch;
import dev.sluice.proxy.core.route.RouteAction;
import dev.sluice.proxy.core.route.RouteSelection;
import dev.sluice.proxy.core.route.RouteTable;
import dev.sluice.proxy.core.route.WeightedCluster;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The connection manager's and the router's header rules, as Envoy applies them: standard request
 * headers ({@code x-request-id}, {@code x-forwarded-*}, hop-by-hop), route rewrites and header
 * mutations, redirect locations, and the {@code server} header and mutations of responses.
 * Stateless; called on the downstream event loop.
 */
final class HeaderRules {
  // Header names as AsciiStrings: their case-insensitive hash is computed once, not per lookup.
  static final AsciiString X_HTTP2_SCHEME = AsciiString.cached("x-http2-scheme");
  static final AsciiString X_HTTP2_STREAM_ID = AsciiString.cached("x-http2-stream-id");
  static final AsciiString X_HTTP2_STREAM_WEIGHT = AsciiString.cached("x-http2-stream-weight");
  static final AsciiString X_HTTP2_STREAM_DEPENDENCY_ID = AsciiString.cached("x-http2-stream-dependency-id");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
  static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
  static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
  static final AsciiString X_ENVOY_ORIGINAL_PATH = AsciiString.cached("x-envoy-original-path");
  static final AsciiString X_ENVOY_ATTEMPT_COUNT = AsciiString.cached("x-envoy-attempt-count");
  static final AsciiString X_ENVOY_UPSTREAM_SERVICE_TIME = AsciiString.cached("x-envoy-upstream-service-time");
  static final AsciiString X_ENVOY_UPSTREAM_RQ_TIMEOUT_MS = AsciiString.cached("x-envoy-upstream-rq-timeout-ms");
  static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
  static final AsciiString X_ENVOY_UPSTREAM_RQ_PER_TRY_TIMEOUT_MS = AsciiString.cached("x-envoy-upstream-rq-per-try-timeout-ms");
  static final AsciiString X_ENVOY_EXPECTED_RQ_TIMEOUT_MS = AsciiString.cached("x-envoy-expected-rq-timeout-ms");
  static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  private static final AsciiString HTTP = AsciiString.cached("http");

  private HeaderRules() {}

  /**
   * x-request-id, x-forwarded-*, 100-continue and hop-by-hop headers (Envoy's connection manager).
   *
   * @return whether the request is a websocket upgrade the connection manager allows
   */
  static boolean prepareStandardHeaders(HttpServerHandler conn, HttpConnectionManager hcm, HttpRequest request) {
    HttpHeaders hs = request.headers();
    hs.remove(X_HTTP2_SCHEME);
    hs.remove(X_HTTP2_STREAM_ID);
    hs.remove(X_HTTP2_STREAM_WEIGHT);
    hs.remove(X_HTTP2_STREAM_DEPENDENCY_ID);
    if (hcm.useRemoteAddress()) {
      hs.set(X_FORWARDED_PROTO, HTTP);
      if (!hcm.skipXffAppend() && !conn.remoteIp.isEmpty()) {
        String xff = hs.get(X_FORWARDED_FOR);
        hs.set(X_FORWARDED_FOR, xff == null ? conn.remoteIp : xff + "," + conn.remoteIp);
      }
    } else if (!hs.contains(X_FORWARDED_PROTO)) {
      hs.set(X_FORWARDED_PROTO, HTTP);
    }
    String rid = hs.get(X_REQUEST_ID);
    if (hcm.generateRequestId() && (rid == null || rid.isEmpty()
        || (hcm.useRemoteAddress() && !hcm.preserveExternalRequestId()))) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
      long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      hs.set(X_REQUEST_ID, new UUID(hi, lo).toString());
    }
    boolean wantsUpgrade = !conn.h2 && hs.contains(HttpHeaderNames.UPGRADE)
        && hs.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    boolean upgrade = wantsUpgrade && hcm.allowWebsocket()
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
    hs.remove(KEEP_ALIVE);
    hs.remove(PROXY_CONNECTION);
    if (!conn.h2) {
      hs.remove(HttpHeaderNames.TE);
    }
    if (!upgrade) {
      hs.remove(HttpHeaderNames.UPGRADE);
    } else {
      hs.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
    return upgrade;
  }

  /**
   * The route's rewrites (prefix, regex, host) and request header mutations (weighted cluster,
   * route, virtual host, table); HTTP/2 bodies to an HTTP/1.1 cluster become chunked.
   */
  static void rewriteRequest(HttpRequest request, RouteSelection sel, RouteAction.Forward f,
      @Nullable WeightedCluster weighted, LogEntry log, boolean chunkForH1) {
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
      hs.set(X_ENVOY_ORIGINAL_PATH, uri);
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
    if (chunkForH1 && !(request instanceof FullHttpRequest) && !HttpUtil.isContentLengthSet(request)) {
      HttpUtil.setTransferEncodingChunked(request, true); // HTTP/2 → HTTP/1.1 with a streamed body
    }
  }

  /** Headers that differ per try: the host for auto_host_rewrite and x-envoy-attempt-count. */
  static void perAttemptHeaders(HttpHeaders hs, HostRuntime h, RouteAction.@Nullable Forward forward,
      @Nullable RouteSelection selection, int attempts) {
    if (forward != null && forward.autoHostRewrite() && forward.hostRewrite() == null) {
      hs.set(HttpHeaderNames.HOST, h.hostPort);
    }
    if (selection != null && selection.virtualHost().includeRequestAttemptCount()) {
      hs.set(X_ENVOY_ATTEMPT_COUNT, Integer.toString(attempts));
    }
  }

  /** The {@code location} of a redirect route. */
  static String redirectLocation(HttpRequest request, RouteAction.Redirect r, @Nullable RouteSelection selection) {
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

  /** The {@code server} response header per {@code server_header_transformation}. */
  static void applyServerHeader(HttpConnectionManager hcm, HttpHeaders hs) {
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

  /** Response header mutations: weighted cluster, route, virtual host, then table. */
  static void applyResponseMutations(@Nullable RouteSelection selection, @Nullable WeightedCluster weighted,
      HttpHeaders hs) {
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

  /**
   * HTTP/1.1 framing of an upstream response head going to an HTTP/1.1 client: the version
   * becomes 1.1; an unframed body becomes chunked when the client keeps the connection alive.
   *
   * @return false when the body can only end with the connection (close after the response)
   */
  static boolean frameHttp1(io.netty.handler.codec.http.HttpResponse r, HttpRequest request, boolean keepAlive) {
    if (r.protocolVersion() != HttpVersion.HTTP_1_1) {
      r.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    int code = r.status().code();
    boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r)
        || code == 204 || code == 304 || code / 100 == 1 || request.method().name().equals("HEAD");
    if (framed) {
      return true;
    }
    if (keepAlive && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      HttpUtil.setTransferEncodingChunked(r, true);
      return true;
    }
    return false;
  }

  /**
   * An upstream response head: hop-by-hop headers removed (kept for a 101 switch), {@code
   * x-envoy-upstream-service-time}, and {@code x-envoy-attempt-count} when {@code attempts > 0}.
   */
  static void upstreamResponseHeaders(HttpHeaders hs, boolean switching, long serviceMs, int attempts) {
    if (!switching) {
      hs.remove(HttpHeaderNames.CONNECTION);
      hs.remove(HttpHeaderNames.UPGRADE);
    }
    hs.remove(KEEP_ALIVE);
    hs.remove(PROXY_CONNECTION);
    hs.set(X_ENVOY_UPSTREAM_SERVICE_TIME, Long.toString(serviceMs));
    if (attempts > 0) {
      hs.set(X_ENVOY_ATTEMPT_COUNT, Integer.toString(attempts));
    }
  }
}
