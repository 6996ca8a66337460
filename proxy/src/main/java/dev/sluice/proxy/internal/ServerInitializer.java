package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.listener.HttpConnectionManager;
import dev.sluice.proxy.core.listener.TcpProxy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * Sets up each accepted connection from its listener's current network filter: the TCP proxy,
 * or protocol detection followed by the HTTP/1.1 or HTTP/2 codec and the connection manager.
 */
final class ServerInitializer extends ChannelInitializer<Channel> {
  private final ProxyServer px;
  private final ActiveListener listener;

  ServerInitializer(ProxyServer px, ActiveListener listener) {
    this.px = px;
    this.listener = listener;
  }

  @Override
  protected void initChannel(Channel ch) {
    listener.connections.add(ch);
    if (listener.draining || px.isDraining()) {
      ch.close();
      return;
    }
    switch (listener.config.filter()) {
      case TcpProxy t -> ch.pipeline().addLast(new TcpProxyHandler(px, t, listener.config.direction()));
      case HttpConnectionManager h -> ch.pipeline().addLast(new ProtocolDetector(this));
    }
  }

  private HttpConnectionManager hcm() {
    return listener.config.filter() instanceof HttpConnectionManager h ? h
        : HttpConnectionManager.defaults("unknown", new dev.sluice.proxy.core.listener.RouteSource.Rds("unknown"));
  }

  void configureHttp1(ChannelPipeline p) {
    HttpConnectionManager h = hcm();
    HttpServerHandler handler = new HttpServerHandler(px, listener, false);
    handler.idleTimeout(h.idleTimeout());
    p.addLast(new StrictRequestDecoder(h.maxRequestHeadersKb() * 1024, h.maxHeadersCount()),
        new HttpResponseEncoder(),
        handler);
  }

  void configureHttp2(ChannelPipeline p) {
    HttpConnectionManager h = hcm();
    p.addLast(Http2FrameCodecBuilder.forServer()
            .initialSettings(Http2Settings.defaultSettings()
                .maxConcurrentStreams(1024)
                .maxHeaderListSize(h.maxRequestHeadersKb() * 1024L)
                .initialWindowSize(1 << 20))
            .build(),
        new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel stream) {
            stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                new HttpServerHandler(px, listener, true));
          }
        }));
  }
}
