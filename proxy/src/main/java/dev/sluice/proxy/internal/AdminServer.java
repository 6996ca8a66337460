package dev.sluice.proxy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Envoy's admin interface (a subset): {@code /ready}, {@code /server_info}, {@code /config_dump},
 * {@code /clusters}, {@code /stats}, {@code /stats/prometheus}, {@code /logging}, {@code
 * /listeners}, {@code /quitquitquit}. Runs on its own event loop; reads of xDS state run on the
 * xDS thread that owns it.
 */
final class AdminServer implements AutoCloseable {
  private final ProxyServer px;
  private final Channel channel;
  private final boolean statsOnly;

  /**
   * Binds the admin server; with {@code statsOnly} it serves only {@code /stats/prometheus} (the
   * Prometheus listener, Istio's 15090).
   */
  AdminServer(ProxyServer px, EventLoopGroup group, String address, int port, boolean statsOnly) {
    this.px = px;
    this.statsOnly = statsOnly;
    this.channel = new ServerBootstrap()
        .group(group)
        .channel(px.transport.serverChannel())
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
          }
        })
        .bind(new InetSocketAddress(address, port))
        .syncUninterruptibly()
        .channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      QueryStringDecoder q = new QueryStringDecoder(req.uri());
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      CompletableFuture<Reply> reply;
      try {
        reply = handle(req.method(), q);
      } catch (RuntimeException e) {
        reply = CompletableFuture.completedFuture(new Reply(500, "text/plain", e + "\n"));
      }
      reply.whenComplete((r, err) -> ctx.executor().execute(() -> {
        Reply out = err != null ? new Reply(500, "text/plain", err + "\n") : r;
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(out.status),
            Unpooled.copiedBuffer(out.body, StandardCharsets.UTF_8));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, out.contentType);
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
        if (keepAlive) {
          ctx.writeAndFlush(resp);
        } else {
          ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
      }));
    }
  }

  private record Reply(int status, String contentType, String body) {}

  private CompletableFuture<Reply> handle(HttpMethod method, QueryStringDecoder q) {
    String path = q.path();
    if (statsOnly && !path.equals("/stats/prometheus")) {
      return done(404, "text/plain", "not found: " + path + " (this port serves /stats/prometheus)\n");
    }
    return switch (path) {
      case "/ready" -> done(px.isReady() ? 200 : 503, "text/plain", px.isReady() ? "LIVE\n" : "PRE_INITIALIZING\n");
      case "/server_info" -> done(200, "application/json", serverInfo());
      case "/config_dump" -> CompletableFuture.supplyAsync(this::configDump, px.xdsExecutor())
          .thenApply(s -> new Reply(200, "application/json", s));
      case "/clusters" -> done(200, q.parameters().containsKey("format") ? "application/json" : "text/plain",
          AdminClusters.render(px.snapshot(), q.parameters().containsKey("format")));
      case "/stats" -> done(200, "text/plain", stats(q));
      case "/stats/prometheus" -> done(200, "text/plain; version=0.0.4", px.prometheusText());
      case "/listeners" -> done(200, "text/plain", listeners());
      case "/logging" -> done(200, "text/plain", logging(method, q));
      case "/quitquitquit" -> {
        if (method != HttpMethod.POST) {
          yield done(405, "text/plain", "use POST\n");
        }
        Thread.ofPlatform().daemon().start(px::drainAndClose);
        yield done(200, "text/plain", "OK\n");
      }
      case "/" -> done(200, "text/plain",
          "/ready /server_info /config_dump /clusters /stats /stats/prometheus /listeners /logging /quitquitquit\n");
      default -> done(404, "text/plain", "not found: " + path + "\n");
    };
  }

  private static CompletableFuture<Reply> done(int status, String type, String body) {
    return CompletableFuture.completedFuture(new Reply(status, type, body));
  }

  private String serverInfo() {
    long uptime = Duration.between(px.startTime, Instant.now()).toSeconds();
    return "{\n  \"version\": \"sluice-proxy/0.1.0\",\n  \"state\": \"" + (px.isReady() ? "LIVE" : "PRE_INITIALIZING")
        + "\",\n  \"node\": {\"id\": " + json(px.nodeId) + ", \"cluster\": " + json(px.nodeCluster)
        + "},\n  \"uptime_current_epoch\": \"" + uptime + "s\",\n  \"uptime_all_epochs\": \"" + uptime
        + "s\",\n  \"command_line_options\": {\"config_path\": " + json(String.valueOf(px.settings.configPath()))
        + ", \"concurrency\": " + px.settings.concurrency() + ", \"admin_port\": " + port()
        + "}\n}\n";
  }

  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private String listeners() {
    StringBuilder sb = new StringBuilder();
    px.listenerPorts().forEach((name, port) -> sb.append(name).append("::").append(port).append('\n'));
    return sb.toString();
  }

  private String stats(QueryStringDecoder q) {
    String filter = q.parameters().containsKey("filter") ? q.parameters().get("filter").get(0) : null;
    com.google.re2j.Pattern p = filter == null ? null : com.google.re2j.Pattern.compile(filter);
    StringBuilder sb = new StringBuilder();
    px.refreshGauges();
    Map<String, Long> all = new java.util.TreeMap<>(px.stats.counters());
    all.putAll(px.stats.gauges());
    all.forEach((k, v) -> {
      if (p == null || p.matcher(k).find()) {
        sb.append(k).append(": ").append(v).append('\n');
      }
    });
    return sb.toString();
  }

  private static String logging(HttpMethod method, QueryStringDecoder q) {
    Logger root = Logger.getLogger("");
    Logger ours = Logger.getLogger("dev.sluice");
    if (method == HttpMethod.POST && q.parameters().containsKey("level")) {
      Level l = LogLevels.parse(q.parameters().get("level").get(0));
      ours.setLevel(l);
      for (var h : root.getHandlers()) {
        h.setLevel(l);
      }
      return "active loggers:\n  sluice: " + LogLevels.name(l) + "\n";
    }
    return "active loggers:\n  sluice: " + LogLevels.name(ours.getLevel() == null ? root.getLevel() : ours.getLevel()) + "\n";
  }

  /** The xDS resources in effect as Envoy's {@code ConfigDump} JSON. Runs on the xDS thread. */
  private String configDump() {
    XdsState s = px.xds;
    ListenersConfigDump.Builder l = ListenersConfigDump.newBuilder().setVersionInfo(s.listeners.version);
    for (var e : s.staticListeners.keySet()) {
      l.addStaticListeners(ListenersConfigDump.StaticListener.newBuilder());
    }
    s.listeners.raw.forEach((name, any) -> l.addDynamicListeners(ListenersConfigDump.DynamicListener.newBuilder()
        .setName(name).setActiveState(ListenersConfigDump.DynamicListenerState.newBuilder()
            .setVersionInfo(s.listeners.version).setListener(any)
            .setLastUpdated(ts(s.listeners.updated.getOrDefault(name, s.listeners.lastUpdated))))));
    ClustersConfigDump.Builder c = ClustersConfigDump.newBuilder().setVersionInfo(s.clusters.version);
    s.activeClusters.values().forEach(d -> c.addDynamicActiveClusters(dynamicCluster(d)));
    s.warmingClusters.values().forEach(d -> c.addDynamicWarmingClusters(dynamicCluster(d)));
    for (var sc : px.bootstrap.getStaticResources().getClustersList()) {
      c.addStaticClusters(ClustersConfigDump.StaticCluster.newBuilder().setCluster(Any.pack(sc))
          .setLastUpdated(ts(px.startTime)));
    }
    l.clearStaticListeners();
    for (var sl : px.bootstrap.getStaticResources().getListenersList()) {
      l.addStaticListeners(ListenersConfigDump.StaticListener.newBuilder().setListener(Any.pack(sl))
          .setLastUpdated(ts(px.startTime)));
    }
    RoutesConfigDump.Builder r = RoutesConfigDump.newBuilder();
    s.routes.raw.forEach((name, any) -> r.addDynamicRouteConfigs(RoutesConfigDump.DynamicRouteConfig.newBuilder()
        .setVersionInfo(s.routes.version).setRouteConfig(any)
        .setLastUpdated(ts(s.routes.updated.getOrDefault(name, s.routes.lastUpdated)))));
    EndpointsConfigDump.Builder e = EndpointsConfigDump.newBuilder();
    s.endpoints.raw.forEach((name, any) -> e.addDynamicEndpointConfigs(EndpointsConfigDump.DynamicEndpointConfig.newBuilder()
        .setVersionInfo(s.endpoints.version).setEndpointConfig(any)
        .setLastUpdated(ts(s.endpoints.updated.getOrDefault(name, s.endpoints.lastUpdated)))));
    ConfigDump dump = ConfigDump.newBuilder()
        .addConfigs(Any.pack(io.envoyproxy.envoy.admin.v3.BootstrapConfigDump.newBuilder()
            .setBootstrap(px.bootstrap.toBuilder().setNode(px.node())).setLastUpdated(ts(px.startTime)).build()))
        .addConfigs(Any.pack(c.build()))
        .addConfigs(Any.pack(l.build()))
        .addConfigs(Any.pack(r.build()))
        .addConfigs(Any.pack(e.build()))
        .build();
    return print(dump);
  }

  private static ClustersConfigDump.DynamicCluster dynamicCluster(XdsState.DynamicCluster d) {
    return ClustersConfigDump.DynamicCluster.newBuilder().setVersionInfo(d.version()).setCluster(d.raw())
        .setLastUpdated(ts(d.lastUpdated())).build();
  }

  private static String print(Message m) {
    try {
      return JsonFormat.printer().usingTypeRegistry(Bootstrap.DumpTypes.REGISTRY).print(m) + "\n";
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      return "{\"error\": " + json(String.valueOf(ex.getMessage())) + "}\n";
    }
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
