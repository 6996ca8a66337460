package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.cluster.Cluster;
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
 * HttpClientCodec}) and the {@link UpstreamStream} of the exchange that currently owns it. Between
 * requests it waits in its {@link Worker.HostPool} and closes after the cluster's idle timeout; it
 * closes instead of returning to the pool once it served {@code max_requests_per_connection}
 * requests or outlived {@code max_connection_duration}.
 */
final class H1Upstream extends ChannelInboundHandlerAdapter implements UpstreamStream {
  final Channel channel;
  final HostRuntime host;
  private final Worker.HostPool pool;
  /** The pooled connection's idle timeout; null: none. */
  private final @Nullable IdleTimer idleTimer;
  private final Cluster.ConnectionPool settings;
  private final Stats.ClusterStats stats;
  private @Nullable UpstreamCallbacks owner;
  private @Nullable ScheduledFuture<?> durationTimer;
  private long served;
  private boolean draining;
  private @Nullable String localAddress;

  H1Upstream(Channel channel, Worker.HostPool pool, Stats.ClusterStats stats, long idleTimeoutMillis,
      Cluster.ConnectionPool settings) {
    this.channel = channel;
    this.pool = pool;
    this.host = pool.host;
    this.stats = stats;
    this.idleTimer = idleTimeoutMillis <= 0 ? null : new IdleTimer(channel.eventLoop(),
        TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis), () -> owner == null, channel::isActive, channel::close);
    this.settings = settings;
  }

  /** The connection is up: count it until it closes, and arm the max connection duration. */
  void connected() {
    channel.closeFuture().addListener(f -> {
      stats.cxActive.decrementAndGet();
      host.activeConnections.decrementAndGet();
      if (durationTimer != null) {
        durationTimer.cancel(false);
      }
      if (idleTimer != null) {
        idleTimer.cancel();
      }
      pool.onConnectionClosed(this);
    });
    long ms = settings.maxConnectionDuration().toMillis();
    if (ms > 0) {
      durationTimer = channel.eventLoop().schedule(() -> {
        stats.cxMaxDuration.increment();
        draining = true;
        if (owner == null) {
          channel.close();
        }
      }, ms, TimeUnit.MILLISECONDS);
    }
  }

  void attach(UpstreamCallbacks cb) {
    owner = cb;
    served++;
  }

  /** Back in the pool: the idle timeout counts from now. */
  void goIdle() {
    channel.config().setAutoRead(true);
    if (idleTimer != null) {
      idleTimer.touch();
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
    UpstreamCallbacks cb = owner;
    owner = null;
    if (cb != null) {
      cb.onUpstreamClosed();
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
    long max = settings.maxRequestsPerConnection();
    if (reusable && max > 0 && served >= max) {
      stats.cxMaxRequests.increment();
      reusable = false;
    }
    if (reusable && channel.isActive() && !draining) {
      pool.onConnectionFree(this);
    } else {
      channel.close();
    }
  }

  @Override
  public String localAddress() {
    if (localAddress == null) {
      localAddress = UpstreamStream.format(channel.localAddress()); // once per connection, not per request
    }
    return localAddress;
  }

  @Override
  public Channel channel() {
    return channel;
  }
}
