package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.cluster.Cluster;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-event-loop upstream connection pools, one {@link HostPool} per host. Only its event loop
 * touches it, so there are no locks; the cluster-wide circuit-breaker resources (connections,
 * pending requests) are atomics in the cluster's statistics, as Envoy's resource manager.
 *
 * <p>Envoy's pool semantics: a request takes an idle connection if there is one; otherwise it
 * waits as a <em>pending</em> request ({@code max_pending_requests}, else 503 UO) while a new
 * connection is opened if {@code max_connections} allows (else {@code upstream_cx_overflow}; a
 * pool without any connection may always open one). A connection that served {@code
 * max_requests_per_connection} requests or lived {@code max_connection_duration} is closed when
 * its current request ends.
 */
final class Worker {
  final EventLoop loop;
  private final Transport transport;
  private final IdentityHashMap<HostRuntime, HostPool> pools = new IdentityHashMap<>();

  Worker(EventLoop loop, Transport transport) {
    this.loop = loop;
    this.transport = transport;
  }

  /** The connections and waiting requests of one host on this event loop. */
  final class HostPool {
    final HostRuntime host;
    ClusterRuntime cluster;
    final ArrayDeque<H1Upstream> idle = new ArrayDeque<>();
    final ArrayDeque<UpstreamCallbacks> pending = new ArrayDeque<>();
    final List<H2Upstream> h2 = new ArrayList<>();
    int connecting;
    int connections;

    HostPool(HostRuntime host, ClusterRuntime cluster) {
      this.host = host;
      this.cluster = cluster;
    }

    /** A connection is free: it serves the oldest pending request or goes idle. */
    void onConnectionFree(H1Upstream c) {
      UpstreamCallbacks cb = pollPending();
      if (cb != null) {
        c.attach(cb);
        cb.onUpstreamReady(c);
      } else {
        c.goIdle();
        idle.addLast(c);
      }
    }

    UpstreamCallbacks pollPending() {
      UpstreamCallbacks cb = pending.poll();
      if (cb != null) {
        cluster.stats.rqPendingActive.decrementAndGet();
      }
      return cb;
    }

    /** A connection closed (after connecting): its capacity may serve pending requests. */
    void onConnectionClosed(H1Upstream c) {
      idle.remove(c);
      connections--;
      cluster.stats.cxOpen.decrementAndGet();
      if (!pending.isEmpty()) {
        tryConnect();
      }
    }

    void onH2Closed(H2Upstream c) {
      if (h2.remove(c)) {
        connections--;
        cluster.stats.cxOpen.decrementAndGet();
      }
      if (!pending.isEmpty()) {
        tryConnect();
      }
    }

    /** An HTTP/2 stream ended: a pending request may take its place. */
    void onH2StreamDone() {
      while (!pending.isEmpty()) {
        H2Upstream c = availableH2();
        if (c == null) {
          return;
        }
        c.open(pollPending());
      }
    }

    H2Upstream availableH2() {
      for (int i = 0; i < h2.size(); i++) {
        H2Upstream c = h2.get(i);
        if (c.hasCapacity()) {
          return c;
        }
      }
      return null;
    }

    /** Opens connections for pending requests as the circuit breakers allow. */
    void tryConnect() {
      Cluster.CircuitBreakers cb = cluster.cluster.circuitBreakers();
      boolean h2Cluster = cluster.cluster.http2();
      // HTTP/1.1 needs one connection per pending request; HTTP/2 one at a time.
      int wanted = h2Cluster ? (connecting == 0 ? 1 : 0) : pending.size() - connecting;
      while (wanted-- > 0) {
        if (cluster.stats.cxOpen.get() >= cb.maxConnections()) {
          cluster.stats.cxOverflow.increment();
          if (connections > 0) {
            return; // wait for a connection of this pool to free up
          }
        }
        if (h2Cluster) {
          openH2(this);
        } else {
          openH1(this);
        }
      }
    }
  }

  private HostPool pool(ClusterRuntime cluster, HostRuntime host) {
    HostPool p = pools.get(host);
    if (p == null) {
      p = new HostPool(host, cluster);
      pools.put(host, p);
    }
    p.cluster = cluster;
    return p;
  }

  /**
   * Gets an upstream stream to {@code host} for {@code cb}, now or later through the callbacks.
   *
   * @return false when the pending queue is full (circuit breaker overflow: nothing was queued)
   */
  boolean acquire(ClusterRuntime cluster, HostRuntime host, UpstreamCallbacks cb) {
    HostPool p = pool(cluster, host);
    if (cluster.cluster.http2()) {
      H2Upstream c = p.availableH2();
      if (c != null) {
        c.open(cb);
        return true;
      }
    } else {
      H1Upstream c;
      while ((c = p.idle.pollLast()) != null) {
        if (c.channel.isActive()) {
          c.attach(cb);
          cb.onUpstreamReady(c);
          return true;
        }
      }
    }
    Stats.ClusterStats cs = cluster.stats;
    if (cs.rqPendingActive.get() >= cluster.cluster.circuitBreakers().maxPendingRequests()) {
      cs.rqPendingOverflow.increment();
      return false;
    }
    p.pending.add(cb);
    cs.rqPendingActive.incrementAndGet();
    cs.rqPendingTotal.increment();
    p.tryConnect();
    return true;
  }

  /** Forgets the pool of a retired host (an idle ORIGINAL_DST destination) if it holds nothing. */
  void dropPool(HostRuntime host) {
    HostPool p = pools.get(host);
    if (p != null && p.connections == 0 && p.connecting == 0 && p.pending.isEmpty()) {
      pools.remove(host);
    }
  }

  /** Withdraws a request still waiting for a connection (it timed out or was cancelled). */
  void cancel(HostRuntime host, UpstreamCallbacks cb) {
    HostPool p = pools.get(host);
    if (p != null && p.pending.remove(cb)) {
      p.cluster.stats.rqPendingActive.decrementAndGet();
    }
  }

  private void openH1(HostPool p) {
    ClusterRuntime cluster = p.cluster;
    Stats.ClusterStats stats = cluster.stats;
    long idleMs = cluster.cluster.idleTimeout().toMillis();
    H1Upstream[] holder = new H1Upstream[1];
    p.connecting++;
    p.connections++;
    stats.cxOpen.incrementAndGet();
    ChannelFuture f = bootstrap(cluster)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            holder[0] = new H1Upstream(ch, p, stats, idleMs, cluster.cluster.pool());
            ch.pipeline().addLast(new HttpClientCodec(4096, 80 * 1024, 64 * 1024), holder[0]);
          }
        })
        .connect(resolve(p.host));
    f.addListener((ChannelFuture cf) -> {
      p.connecting--;
      if (cf.isSuccess()) {
        stats.cxTotal.increment();
        stats.cxActive.incrementAndGet();
        p.host.activeConnections.incrementAndGet();
        holder[0].connected();
        p.onConnectionFree(holder[0]);
      } else {
        p.connections--;
        stats.cxOpen.decrementAndGet();
        UpstreamCallbacks cb = p.pollPending();
        connectFailed(cluster, p.host, cf.cause(), cb);
        if (!p.pending.isEmpty()) {
          p.tryConnect();
        }
      }
    });
  }

  /** A new dedicated HTTP/1.1 connection for an upgrade (never pooled, never queued). */
  void connectH1(ClusterRuntime cluster, HostRuntime host, UpstreamCallbacks cb) {
    HostPool p = pool(cluster, host);
    Stats.ClusterStats stats = cluster.stats;
    H1Upstream[] holder = new H1Upstream[1];
    p.connections++;
    stats.cxOpen.incrementAndGet();
    ChannelFuture f = bootstrap(cluster)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            holder[0] = new H1Upstream(ch, p, stats, 0, Cluster.ConnectionPool.DEFAULT);
            ch.pipeline().addLast(new HttpClientCodec(4096, 80 * 1024, 64 * 1024), holder[0]);
          }
        })
        .connect(resolve(host));
    f.addListener((ChannelFuture cf) -> {
      if (cf.isSuccess()) {
        stats.cxTotal.increment();
        stats.cxActive.incrementAndGet();
        host.activeConnections.incrementAndGet();
        holder[0].connected();
        holder[0].attach(cb);
        cb.onUpstreamReady(holder[0]);
      } else {
        p.connections--;
        stats.cxOpen.decrementAndGet();
        connectFailed(cluster, host, cf.cause(), cb);
      }
    });
  }

  private void connectFailed(ClusterRuntime cluster, HostRuntime host, Throwable cause, UpstreamCallbacks cb) {
    boolean timeout = cause instanceof ConnectTimeoutException;
    cluster.stats.cxConnectFail.increment();
    if (timeout) {
      cluster.stats.cxConnectTimeout.increment();
    }
    host.cxConnectFail.increment();
    if (cb != null) {
      cb.onUpstreamConnectFailed(timeout, String.valueOf(cause.getMessage()));
    }
  }

  private void openH2(HostPool p) {
    ClusterRuntime cluster = p.cluster;
    Stats.ClusterStats stats = cluster.stats;
    Cluster.ConnectionPool settings = cluster.cluster.pool();
    p.connecting++;
    p.connections++;
    stats.cxOpen.incrementAndGet();
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
        .connect(resolve(p.host));
    f.addListener((ChannelFuture cf) -> {
      p.connecting--;
      if (cf.isSuccess()) {
        stats.cxTotal.increment();
        stats.cxActive.incrementAndGet();
        p.host.activeConnections.incrementAndGet();
        H2Upstream conn = new H2Upstream(cf.channel(), p, settings);
        p.h2.add(conn);
        cf.channel().closeFuture().addListener(x -> {
          stats.cxActive.decrementAndGet();
          p.host.activeConnections.decrementAndGet();
          p.onH2Closed(conn);
        });
        long idleMs = cluster.cluster.idleTimeout().toMillis();
        if (idleMs > 0) {
          cf.channel().pipeline().addFirst(new io.netty.handler.timeout.IdleStateHandler(0, 0, idleMs,
              TimeUnit.MILLISECONDS) {
            @Override
            protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
                io.netty.handler.timeout.IdleStateEvent evt) {
              ctx.close();
            }
          });
        }
        p.onH2StreamDone();
      } else {
        p.connections--;
        stats.cxOpen.decrementAndGet();
        // Every request waiting for this connection fails with it.
        UpstreamCallbacks cb;
        while ((cb = p.pollPending()) != null) {
          connectFailed(cluster, p.host, cf.cause(), cb);
        }
      }
    });
  }

  private Bootstrap bootstrap(ClusterRuntime cluster) {
    Bootstrap b = new Bootstrap()
        .group(loop)
        .channel(transport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, cluster.cluster.connectTimeout().toMillis()));
    Cluster.TcpKeepalive ka = cluster.cluster.pool().tcpKeepalive();
    if (ka != null) {
      b.option(ChannelOption.SO_KEEPALIVE, true);
      boolean epoll = transport.name().equals("epoll");
      if (ka.time().toSeconds() > 0) {
        int v = (int) ka.time().toSeconds();
        if (epoll) {
          b.option(EpollChannelOption.TCP_KEEPIDLE, v);
        } else {
          b.option(NioChannelOption.of(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE), v);
        }
      }
      if (ka.interval().toSeconds() > 0) {
        int v = (int) ka.interval().toSeconds();
        if (epoll) {
          b.option(EpollChannelOption.TCP_KEEPINTVL, v);
        } else {
          b.option(NioChannelOption.of(jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL), v);
        }
      }
      if (ka.probes() > 0) {
        if (epoll) {
          b.option(EpollChannelOption.TCP_KEEPCNT, ka.probes());
        } else {
          b.option(NioChannelOption.of(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT), ka.probes());
        }
      }
    }
    return b;
  }

  private static InetSocketAddress resolve(HostRuntime host) {
    // IP literals resolve without DNS; host names (STRICT_DNS / LOGICAL_DNS) resolve here.
    return new InetSocketAddress(host.address.getHostString(), host.address.getPort());
  }
}
