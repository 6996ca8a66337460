package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.listener.HttpConnectionManager;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP connection manager of one HTTP/1.1 connection or one HTTP/2 stream: receives {@link
 * HttpObject}s (from Netty's HTTP/1 decoder or the HTTP/2 stream codec) and runs one {@link
 * Exchange} per request. HTTP/1.1 pipelined requests wait in a queue until the previous response
 * is complete.
 *
 * <p>The downstream idle timeout (the connection manager's {@code idle_timeout}: no request in
 * progress and nothing read or written for that long) is one timer per connection that re-arms
 * itself from the last activity when it fires, instead of Netty's {@code IdleStateHandler}, which
 * turns every write's void promise into a listened-to one and reads the clock on every write.
 *
 * <p>Pipeline position: last, after the codec.
 */
final class HttpServerHandler extends ChannelInboundHandlerAdapter {
  final ProxyServer px;
  final ActiveListener listener;
  final boolean h2;
  ChannelHandlerContext ctx;
  Worker worker;
  String remoteAddress = "-";
  String remoteIp = "";
  String localAddress = "-";
  private @Nullable Exchange current;
  private final ArrayDeque<Object> queued = new ArrayDeque<>();
  boolean closeAfterResponse;
  private Stats.@Nullable HttpStats connStats;
  /** The statistics of the last request's stat prefix (a listener update may change it). */
  private Stats.@Nullable HttpStats requestStats;
  private long idleTimeoutNanos;
  private @Nullable IdleTimer idleTimer;

  HttpServerHandler(ProxyServer px, ActiveListener listener, boolean h2) {
    this.px = px;
    this.listener = listener;
    this.h2 = h2;
  }

  /** Closes the connection after {@code timeout} without a request or I/O; zero: never. */
  void idleTimeout(Duration timeout) {
    idleTimeoutNanos = timeout.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.worker = px.worker(ctx.channel().eventLoop());
    var ch = h2 ? ctx.channel().parent() : ctx.channel();
    if (ch != null && ch.remoteAddress() instanceof InetSocketAddress r) {
      remoteIp = r.getAddress() == null ? r.getHostString() : r.getAddress().getHostAddress();
      remoteAddress = remoteIp + ":" + r.getPort();
    }
    if (ch != null && ch.localAddress() instanceof InetSocketAddress l) {
      localAddress = (l.getAddress() == null ? l.getHostString() : l.getAddress().getHostAddress()) + ":" + l.getPort();
    }
    if (!h2 && hcm() != null) {
      connStats = px.httpStats(hcm().statPrefix());
      connStats.cxTotal.increment();
      connStats.cxActive.incrementAndGet();
    }
    if (idleTimeoutNanos > 0) {
      idleTimer = new IdleTimer(ctx.executor(), idleTimeoutNanos, this::idleAndFlushed,
          () -> ctx.channel().isActive() && !ctx.isRemoved(), ctx::close); // downstream idle timeout
      idleTimer.touch();
    }
  }

  /** The statistics of {@code hcm}'s stat prefix, looked up once per prefix. */
  Stats.HttpStats httpStats(HttpConnectionManager hcm) {
    Stats.HttpStats s = requestStats;
    if (s == null || !s.prefix.equals(hcm.statPrefix())) {
      s = px.httpStats(hcm.statPrefix());
      requestStats = s;
    }
    return s;
  }

  /** No request in progress or queued, and nothing left to write. */
  private boolean idleAndFlushed() {
    ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
    return isIdle() && (out == null || out.isEmpty());
  }

  private void touchIdleTimer() {
    if (idleTimer != null) {
      idleTimer.touch();
    }
  }

  private void cancelIdleTimer() {
    if (idleTimer != null) {
      idleTimer.cancel();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelIdleTimer(); // e.g. the connection became a websocket tunnel
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    touchIdleTimer();
    ctx.fireChannelReadComplete();
  }

  @Nullable HttpConnectionManager hcm() {
    return listener.config.filter() instanceof HttpConnectionManager h ? h : null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject)) {
      // Raw bytes left over after a protocol switch would be a bug; never forward them as HTTP.
      ReferenceCountUtil.release(msg);
      return;
    }
    if (current != null && (current.requestComplete || !queued.isEmpty())) {
      queued.add(msg); // pipelined: wait for the current response
      if (queued.size() > 64) {
        ctx.channel().config().setAutoRead(false);
      }
      return;
    }
    dispatch(msg);
  }

  private void dispatch(Object msg) {
    if (msg instanceof HttpRequest req) {
      HttpConnectionManager hcm = hcm();
      if (hcm == null) {
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      current = new Exchange(this, hcm, req);
      current.start();
    } else if (current != null) {
      current.onRequestContent((HttpContent) msg);
    } else {
      ReferenceCountUtil.release(msg); // body of a request already answered
    }
  }

  /** The current exchange finished; continue with pipelined requests or close. */
  void exchangeDone(Exchange ex) {
    if (current != ex) {
      return;
    }
    current = null;
    touchIdleTimer();
    if (!h2 && (px.isDraining() || listener.draining) && queued.isEmpty()) {
      ctx.close();
      return;
    }
    if (closeAfterResponse || h2) {
      if (!h2) {
        ctx.channel().config().setAutoRead(false);
      }
      return;
    }
    while (current == null && !queued.isEmpty()) {
      dispatch(queued.poll());
    }
    while (current != null && !current.requestComplete && !queued.isEmpty()) {
      dispatch(queued.poll());
    }
    if (queued.isEmpty()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** No request in progress or queued. */
  boolean isIdle() {
    return current == null && queued.isEmpty();
  }

  boolean isCurrent(Exchange ex) {
    return current == ex;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null) {
      current.onDownstreamWritabilityChanged(ctx.channel().isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelIdleTimer();
    if (current != null) {
      current.onDownstreamClosed();
      current = null;
    }
    Object o;
    while ((o = queued.poll()) != null) {
      ReferenceCountUtil.release(o);
    }
    if (connStats != null) {
      connStats.cxActive.decrementAndGet();
      connStats = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
