package dev.sluice.proxy.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Per-event-loop upstream state: idle HTTP/1.1 connections and shared HTTP/2 connections by
 * host. Only its event loop touches it, so there are no locks; upstream connections are opened
 * on the same loop as the downstream connection that needs them.
 */
final class Worker {
  final EventLoop loop;
  private final Transport transport;
  private final IdentityHashMap<HostRuntime, ArrayDeque<H1Upstream>> idle = new IdentityHashMap<>();
  private final IdentityHashMap<HostRuntime, H2Upstream> h2 = new IdentityHashMap<>();
  private final IdentityHashMap<HostRuntime, List<UpstreamCallbacks>> h2Connecting = new IdentityHashMap<>();

  Worker(EventLoop loop, Transport transport) {
    this.loop = loop;
    this.transport = transport;
  }

  /** Gets an upstream stream to {@code host} for {@code cb}; reports through the callbacks. */
  void acquire(ClusterRuntime cluster, HostRuntime host, UpstreamCallbacks cb) {
    if (cluster.cluster.http2()) {
      acquireH2(cluster, host, cb);
      return;
    }
    ArrayDeque<H1Upstream> q = idle.get(host);
    if (q != null) {
      H1Upstream c;
      while ((c = q.pollLast()) != null) {
        if (c.channel.isActive()) {
          c.attach(cb);
          cb.onUpstreamReady(c);
          return;
        }
      }
    }
    connectH1(cluster, host, cb);
  }

  /** A new dedicated HTTP/1.1 connection (upgrades never reuse pooled connections). */
  void connectH1(ClusterRuntime cluster, HostRuntime host, UpstreamCallbacks cb) {
    long idleMs = cluster.cluster.idleTimeout().toMillis();
    Stats.ClusterStats stats = cluster.stats;
    H1Upstream[] holder = new H1Upstream[1];
    ChannelFuture f = bootstrap(cluster)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            holder[0] = new H1Upstream(ch, host, Worker.this, stats, idleMs);
            ch.pipeline().addLast(new HttpClientCodec(4096, 80 * 1024, 64 * 1024), holder[0]);
          }
        })
        .connect(resolve(host));
    f.addListener((ChannelFuture cf) -> {
      if (cf.isSuccess()) {
        stats.cxTotal.increment();
        stats.cxActive.incrementAndGet();
        host.activeConnections.incrementAndGet();
        holder[0].attach(cb);
        cb.onUpstreamReady(holder[0]);
      } else {
        connectFailed(cluster, host, cb, cf.cause());
      }
    });
  }

  private void connectFailed(ClusterRuntime cluster, HostRuntime host, UpstreamCallbacks cb, Throwable cause) {
    boolean timeout = cause instanceof ConnectTimeoutException;
    cluster.stats.cxConnectFail.increment();
    if (timeout) {
      cluster.stats.cxConnectTimeout.increment();
    }
    host.cxConnectFail.increment();
    cb.onUpstreamConnectFailed(timeout, String.valueOf(cause.getMessage()));
  }

  private void acquireH2(ClusterRuntime cluster, HostRuntime host, UpstreamCallbacks cb) {
    H2Upstream c = h2.get(host);
    if (c != null && c.isActive()) {
      c.open(cb);
      return;
    }
    List<UpstreamCallbacks> waiting = h2Connecting.get(host);
    if (waiting != null) {
      waiting.add(cb);
      return;
    }
    List<UpstreamCallbacks> list = new ArrayList<>();
    list.add(cb);
    h2Connecting.put(host, list);
    Stats.ClusterStats stats = cluster.stats;
    ChannelFuture f = bootstrap(cluster)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(
                Http2FrameCodecBuilder.forClient()
                    .initialSettings(Http2Settings.defaultSettings().initialWindowSize(1 << 20))
                    .build(),
                new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel stream) {
                    stream.close(); // no server push
                  }
                }));
          }
        })
        .connect(resolve(host));
    f.addListener((ChannelFuture cf) -> {
      List<UpstreamCallbacks> cbs = h2Connecting.remove(host);
      if (cf.isSuccess()) {
        stats.cxTotal.increment();
        stats.cxActive.incrementAndGet();
        host.activeConnections.incrementAndGet();
        cf.channel().closeFuture().addListener(x -> {
          stats.cxActive.decrementAndGet();
          host.activeConnections.decrementAndGet();
        });
        H2Upstream conn = new H2Upstream(cf.channel(), host);
        h2.put(host, conn);
        long idleMs = cluster.cluster.idleTimeout().toMillis();
        if (idleMs > 0) {
          cf.channel().pipeline().addFirst(new io.netty.handler.timeout.IdleStateHandler(0, 0, idleMs,
              java.util.concurrent.TimeUnit.MILLISECONDS) {
            @Override
            protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
                io.netty.handler.timeout.IdleStateEvent evt) {
              ctx.close();
            }
          });
        }
        for (UpstreamCallbacks w : cbs) {
          conn.open(w);
        }
      } else {
        for (UpstreamCallbacks w : cbs) {
          connectFailed(cluster, host, w, cf.cause());
        }
      }
    });
  }

  private Bootstrap bootstrap(ClusterRuntime cluster) {
    return new Bootstrap()
        .group(loop)
        .channel(transport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, cluster.cluster.connectTimeout().toMillis()));
  }

  private static InetSocketAddress resolve(HostRuntime host) {
    // IP literals resolve without DNS; host names (STRICT_DNS / LOGICAL_DNS) resolve here.
    return new InetSocketAddress(host.address.getHostString(), host.address.getPort());
  }

  void offerIdle(H1Upstream c) {
    idle.computeIfAbsent(c.host, h -> new ArrayDeque<>()).addLast(c);
  }

  void removeIdle(H1Upstream c) {
    ArrayDeque<H1Upstream> q = idle.get(c.host);
    if (q != null) {
      q.remove(c);
      if (q.isEmpty()) {
        idle.remove(c.host);
      }
    }
  }
}
