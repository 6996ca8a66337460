package dev.sluice.proxy.internal;

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
      case "/config_dump" -> CompletableFuture.supplyAsync(() -> AdminConfigDump.render(px), px.xdsExecutor())
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
        + "\",\n  \"node\": {\"id\": " + json(px.config.nodeId()) + ", \"cluster\": " + json(px.config.nodeCluster())
        + "},\n  \"uptime_current_epoch\": \"" + uptime + "s\",\n  \"uptime_all_epochs\": \"" + uptime
        + "s\",\n  \"command_line_options\": {\"config_path\": " + json(String.valueOf(px.settings.configPath()))
        + ", \"concurrency\": " + px.settings.concurrency() + ", \"admin_port\": " + port()
        + "}\n}\n";
  }

  static String json(String s) {
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
}
