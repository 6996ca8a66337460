package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.listener.HttpConnectionManager;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import org.jspecify.annotations.Nullable;

/**
 * Whether a request head may go on to routing, as Envoy's codec and connection manager decide
 * before any filter runs: decoding errors (400, or 431 when too large), the request target
 * (absolute-form is rewritten to origin-form, see {@link RequestTarget}), the header count limit
 * (431) and a missing {@code Host} (400). Each rejection carries Envoy's response code details.
 */
final class RequestAdmission {
  private RequestAdmission() {}

  /**
   * A request that gets a local reply instead of being routed.
   *
   * @param closeConnection the connection closes after the reply
   * @param protocolError counted as a downstream protocol error
   */
  record Rejection(int status, String details, boolean closeConnection, boolean protocolError) {}

  /** Checks (and, for an absolute-form target, rewrites) {@code request}; null when it may proceed. */
  static @Nullable Rejection check(HttpRequest request, HttpConnectionManager hcm, boolean h2) {
    DecoderResult dr = request.decoderResult();
    if (dr.isFailure()) {
      Throwable cause = dr.cause();
      int status = cause instanceof BadRequestException b ? b.status
          : cause instanceof TooLongFrameException ? 431 : 400;
      return new Rejection(status, status == 431 ? "http1.headers_too_large" : "http1.codec_error", true, true);
    }
    if (!h2) {
      String targetError = RequestTarget.normalize(request, hcm.allowAbsoluteUrl());
      if (targetError != null) {
        return new Rejection(400, targetError, true, true);
      }
      if (request.headers().size() > hcm.maxHeadersCount()) {
        return new Rejection(431, "http1.too_many_headers", true, false);
      }
    }
    String authority = request.headers().get(HttpHeaderNames.HOST);
    if (authority == null || authority.isEmpty()) {
      // HTTP/1.1 requires Host; a request without one cannot be routed by domain either.
      return new Rejection(400, "missing_host_header", false, false);
    }
    return null;
  }
}
