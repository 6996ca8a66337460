package dev.sluice.proxy.internal;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/** Events of one upstream exchange, delivered on the downstream channel's event loop. */
interface UpstreamCallbacks {
  void onUpstreamReady(UpstreamStream stream);

  /** The connection could not be made ({@code timeout}: connect timeout). */
  void onUpstreamConnectFailed(boolean timeout, String reason);

  /** Response head; a failed decoder result means the upstream sent garbage. */
  void onUpstreamResponse(HttpResponse response);

  /** Response body; a {@link io.netty.handler.codec.http.LastHttpContent} ends it. Owned by the callee. */
  void onUpstreamContent(HttpContent content);

  /** The upstream closed or reset before the exchange completed. */
  void onUpstreamClosed();

  void onUpstreamWritabilityChanged(boolean writable);
}
