package dev.sluice.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 upstream connection: the last handler of its pipeline (after {@code
 * HttpClientCodec}) and the {@link UpstreamStream} of the exchange that currently owns it. Idle
 * connections sit in their {@link Worker}'s pool and close after the cluster's idle timeout.
 */
final class H1Upstream extends ChannelInboundHandlerAdapter implements UpstreamStream {
  final Channel channel;
  final HostRuntime host;
  final Worker worker;
  final long idleTimeoutMillis;
  private final Stats.ClusterStats stats;
  private @Nullable UpstreamCallbacks owner;
  private @Nullable ScheduledFuture<?> idleTimer;
  private boolean closedCounted;

  H1Upstream(Channel channel, HostRuntime host, Worker worker, Stats.ClusterStats stats, long idleTimeoutMillis) {
    this.channel = channel;
    this.host = host;
    this.worker = worker;
    this.stats = stats;
    this.idleTimeoutMillis = idleTimeoutMillis;
  }

  void attach(UpstreamCallbacks cb) {
    owner = cb;
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamCallbacks cb = owner;
    if (cb == null) {
      // Bytes from an idle upstream: not a valid response to anything; drop the connection.
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    if (msg instanceof HttpResponse r) {
      cb.onUpstreamResponse(r);
      if (msg instanceof HttpContent c) {
        cb.onUpstreamContent(c);
      }
    } else if (msg instanceof HttpContent c) {
      cb.onUpstreamContent(c);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    countClosed();
    worker.removeIdle(this);
    UpstreamCallbacks cb = owner;
    owner = null;
    if (cb != null) {
      cb.onUpstreamClosed();
    }
  }

  private void countClosed() {
    if (!closedCounted) {
      closedCounted = true;
      stats.cxActive.decrementAndGet();
      host.activeConnections.decrementAndGet();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    UpstreamCallbacks cb = owner;
    if (cb != null) {
      cb.onUpstreamWritabilityChanged(channel.isWritable());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  @Override
  public void write(HttpObject msg) {
    channel.write(msg, channel.voidPromise());
  }

  @Override
  public void flush() {
    channel.flush();
  }

  @Override
  public void setAutoRead(boolean autoRead) {
    channel.config().setAutoRead(autoRead);
  }

  @Override
  public boolean isWritable() {
    return channel.isWritable();
  }

  @Override
  public void release(boolean reusable) {
    owner = null;
    if (reusable && channel.isActive()) {
      channel.config().setAutoRead(true);
      worker.offerIdle(this);
      if (idleTimeoutMillis > 0) {
        idleTimer = channel.eventLoop().schedule(() -> {
          if (owner == null) {
            channel.close();
          }
        }, idleTimeoutMillis, TimeUnit.MILLISECONDS);
      }
    } else {
      channel.close();
    }
  }

  @Override
  public String localAddress() {
    return String.valueOf(channel.localAddress()).replaceFirst("^/", "");
  }

  @Override
  public Channel channel() {
    return channel;
  }
}
