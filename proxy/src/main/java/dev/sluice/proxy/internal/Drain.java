package dev.sluice.proxy.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;

/**
 * Graceful drain of one downstream connection (Envoy's drain with {@code --drain-strategy
 * immediate}): HTTP/2 gets GOAWAY (NO_ERROR) and closes when its streams are done; an idle
 * HTTP/1.1 connection closes now, a busy one after its response, which carries {@code Connection:
 * close}. Runs on the connection's event loop.
 */
final class Drain {
  private Drain() {}

  static void start(Channel ch) {
    Http2FrameCodec h2 = ch.pipeline().get(Http2FrameCodec.class);
    if (h2 != null) {
      if (!h2.connection().goAwaySent()) {
        ch.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
      }
    }
    closeIfIdle(ch);
  }

  static void closeIfIdle(Channel ch) {
    if (!ch.isActive()) {
      return;
    }
    Http2FrameCodec h2 = ch.pipeline().get(Http2FrameCodec.class);
    if (h2 != null) {
      if (h2.connection().goAwaySent() && h2.connection().numActiveStreams() == 0) {
        ch.close();
      }
      return;
    }
    HttpServerHandler h1 = ch.pipeline().get(HttpServerHandler.class);
    if (h1 == null || h1.isIdle()) {
      ch.close(); // not HTTP yet, TCP proxy, or between requests
    }
  }
}
