package dev.sluice.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 upstream for tests. The body echoes the request line and headers. Paths:
 * {@code /status/NNN} answers NNN; {@code /close} closes without answering; {@code /garbage}
 * answers bytes that are not HTTP; {@code /ws} answers 101 and then echoes raw bytes.
 */
final class EchoUpstream implements AutoCloseable {
  final String name;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger connections = new AtomicInteger();
  /** Host headers and x-envoy-attempt-count values received, in order. */
  final java.util.concurrent.ConcurrentLinkedQueue<String> hosts = new java.util.concurrent.ConcurrentLinkedQueue<>();
  final java.util.concurrent.ConcurrentLinkedQueue<String> attemptCounts = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** When non-zero, every answer has this status. */
  volatile int forcedStatus;
  /** When non-zero, every answer is delayed this long. */
  volatile long forcedDelayMs;
  /** When set, every answer waits until it completes (no timing assumptions). */
  volatile java.util.concurrent.@org.jspecify.annotations.Nullable CompletableFuture<Void> hold;
  private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;

  EchoUpstream(String name) {
    this.name = name;
    channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            connections.incrementAndGet();
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      requests.incrementAndGet();
      hosts.add(String.valueOf(req.headers().get("host")));
      attemptCounts.add(String.valueOf(req.headers().get("x-envoy-attempt-count")));
      String uri = req.uri();
      if (uri.startsWith("/close")) {
        ctx.close();
        return;
      }
      if (uri.startsWith("/garbage")) {
        ctx.pipeline().remove(HttpObjectAggregator.class);
        ctx.pipeline().remove(HttpServerCodec.class); // raw bytes, not an HTTP response
        ctx.channel().writeAndFlush(Unpooled.copiedBuffer("NOT HTTP AT ALL\r\n\r\n", StandardCharsets.US_ASCII))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (uri.startsWith("/ws")) {
        var resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        resp.headers().set("upgrade", "websocket").set("connection", "Upgrade");
        ctx.writeAndFlush(resp);
        ctx.pipeline().remove(HttpObjectAggregator.class);
        ctx.pipeline().remove(HttpServerCodec.class);
        ctx.pipeline().replace(this, "echo", new SimpleChannelInboundHandler<ByteBuf>() {
          @Override
          protected void channelRead0(ChannelHandlerContext c, ByteBuf msg) {
            c.writeAndFlush(msg.retain());
          }
        });
        return;
      }
      int status = forcedStatus != 0 ? forcedStatus : 200;
      int st = uri.indexOf("/status/");
      if (st >= 0) {
        status = Integer.parseInt(uri.substring(st + 8, st + 11));
      }
      long delay = forcedDelayMs;
      int d = uri.indexOf("/delay/");
      if (d >= 0) {
        String ms = uri.substring(d + 7).replaceAll("[^0-9].*", "");
        delay = Long.parseLong(ms);
      }
      StringBuilder body = new StringBuilder();
      body.append(req.method()).append(' ').append(uri).append('\n');
      for (Map.Entry<String, String> h : req.headers()) {
        body.append(h.getKey().toLowerCase()).append(": ").append(h.getValue()).append('\n');
      }
      body.append("body: ").append(req.content().toString(StandardCharsets.UTF_8)).append('\n');
      var resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
          Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
      resp.headers().set("x-upstream", name).set("server", "echo");
      HttpUtil.setContentLength(resp, resp.content().readableBytes());
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      HttpUtil.setKeepAlive(resp, keepAlive);
      Runnable send = () -> {
        var f = ctx.writeAndFlush(resp);
        if (!keepAlive) {
          f.addListener(ChannelFutureListener.CLOSE);
        }
      };
      var gate = hold;
      if (gate != null) {
        gate.thenRun(() -> ctx.executor().execute(send));
      } else if (delay > 0) {
        ctx.executor().schedule(send, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
      } else {
        send.run();
      }
    }
  }
}
