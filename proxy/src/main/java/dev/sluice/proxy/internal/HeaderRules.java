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
  private HeaderRules() {}

  /**
   * x-request-id, x-forwarded-*, 100-continue and hop-by-hop headers (Envoy's connection manager).
   *
   * @return whether the request is a websocket upgrade the connection manager allows
   */
  static boolean prepareStandardHeaders(HttpServerHandler conn, HttpConnectionManager hcm, HttpRequest request) {
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
      hs.set("x-envoy-attempt-count", Integer.toString(attempts));
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
    hs.remove("keep-alive");
    hs.remove("proxy-connection");
    hs.set("x-envoy-upstream-service-time", Long.toString(serviceMs));
    if (attempts > 0) {
      hs.set("x-envoy-attempt-count", Integer.toString(attempts));
    }
  }
}
