package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.listener.TcpProxy;
import dev.sluice.proxy.core.route.ClusterSpecifier;
import dev.sluice.proxy.core.telemetry.Reporter;
import dev.sluice.proxy.core.telemetry.StatsConfig;
import dev.sluice.proxy.core.telemetry.TrafficDirection;
import dev.sluice.proxy.internal.telemetry.IstioLabels;
import dev.sluice.proxy.internal.telemetry.IstioMetrics;
import dev.sluice.proxy.internal.telemetry.PeerMetadata;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Envoy's TCP proxy for one downstream connection: picks a cluster (weighted per connection) and
 * a host, connects, then relays bytes both ways. Reading is off until the upstream is connected.
 */
final class TcpProxyHandler extends ChannelInboundHandlerAdapter {
  private final ProxyServer px;
  private final TcpProxy config;
  private final TrafficDirection listenerDirection;

  TcpProxyHandler(ProxyServer px, TcpProxy config, TrafficDirection listenerDirection) {
    this.px = px;
    this.config = config;
    this.listenerDirection = listenerDirection;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    var down = ctx.channel();
    down.config().setAutoRead(false);
    px.stats.counter("tcp." + config.statPrefix() + ".downstream_cx_total").increment();
    String clusterName = switch (config.cluster()) {
      case ClusterSpecifier.Single s -> s.name();
      case ClusterSpecifier.Weighted w -> w.pick(ThreadLocalRandom.current().nextInt(w.totalWeight())).name();
      case ClusterSpecifier.FromHeader h -> "";
    };
    ClusterRuntime c = px.snapshot().clusters().get(clusterName);
    int idx = c == null ? -1 : c.balancer.pick(null, ThreadLocalRandom.current());
    if (c == null || idx < 0) {
      px.stats.counter("tcp." + config.statPrefix() + (c == null ? ".downstream_cx_no_route" : ".upstream_flush_total")).increment();
      ctx.close();
      return;
    }
    HostRuntime h = c.hosts.get(idx);
    c.stats.rqTotal.increment();
    IstioMetrics.TcpSeries istio = istioSeries(c, clusterName, "-");
    ChannelFuture f = new Bootstrap()
        .group(down.eventLoop())
        .channel(px.transport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) c.cluster.connectTimeout().toMillis())
        .handler(new TunnelHandler(down, istio == null ? null : istio::sent))
        .connect(new InetSocketAddress(h.address.getHostString(), h.address.getPort()));
    f.addListener((ChannelFuture cf) -> {
      if (!cf.isSuccess()) {
        c.stats.cxConnectFail.increment();
        h.cxConnectFail.increment();
        IstioMetrics.TcpSeries failed = istioSeries(c, clusterName, "UF");
        if (failed != null) {
          failed.opened();
          failed.closed();
        }
        down.close();
        return;
      }
      if (istio != null) {
        istio.opened();
        down.closeFuture().addListener(x -> istio.closed());
      }
      c.stats.cxTotal.increment();
      c.stats.cxActive.incrementAndGet();
      h.activeConnections.incrementAndGet();
      var up = cf.channel();
      up.closeFuture().addListener(x -> {
        c.stats.cxActive.decrementAndGet();
        h.activeConnections.decrementAndGet();
      });
      var p = down.pipeline();
      if (!config.idleTimeout().isZero()) {
        p.addLast(new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
      }
      p.addLast(new TunnelHandler(up, istio == null ? null : istio::received));
      p.remove(this);
      if (!down.isActive()) {
        up.close();
        return;
      }
      up.config().setAutoRead(true);
      down.config().setAutoRead(true);
    });
    down.closeFuture().addListener(x -> {
      if (f.channel().isActive()) {
        f.channel().close();
      }
    });
  }

  /**
   * Istio's TCP series of this connection (the {@code istio.stats} network filter), or null. The
   * peer is unknown: TCP metadata exchange (ALPN {@code istio-peer-exchange}) is not implemented.
   */
  private IstioMetrics.@org.jspecify.annotations.Nullable TcpSeries istioSeries(ClusterRuntime c, String clusterName, String flags) {
    StatsConfig sc = config.stats();
    if (sc == null) {
      return null;
    }
    Reporter r = sc.reporterFor(listenerDirection);
    return px.istioMetrics.tcp(IstioLabels.tcp(r, px.config.self(), PeerMetadata.UNKNOWN,
        IstioLabels.Service.of(c.cluster.istioServices(), clusterName, null), flags));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    }
  }
}
