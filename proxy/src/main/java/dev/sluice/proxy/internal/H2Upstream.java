package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.cluster.Cluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/2 (h2c prior knowledge) upstream connection shared by many exchanges, one stream each,
 * up to {@code max_concurrent_streams} (and the server's own limit). Each stream's pipeline
 * converts frames to {@link HttpObject}s, so exchanges see the same events as over HTTP/1.1. After
 * {@code max_requests_per_connection} streams or {@code max_connection_duration} it takes no new
 * streams and closes (GOAWAY) once the open ones end.
 */
final class H2Upstream {
  final Channel parent;
  final HostRuntime host;
  private final Worker.HostPool pool;
  private final Cluster.ConnectionPool settings;
  private int active;
  private long total;
  private boolean draining;
  private @Nullable String localAddress;

  H2Upstream(Channel parent, Worker.HostPool pool, Cluster.ConnectionPool settings) {
    this.parent = parent;
    this.pool = pool;
    this.host = pool.host;
    this.settings = settings;
    long ms = settings.maxConnectionDuration().toMillis();
    if (ms > 0) {
      var timer = parent.eventLoop().schedule(() -> {
        pool.cluster.stats.cxMaxDuration.increment();
        drain();
      }, ms, TimeUnit.MILLISECONDS);
      parent.closeFuture().addListener(f -> timer.cancel(false));
    }
  }

  boolean isActive() {
    return parent.isActive();
  }

  /** The connection's local address, formatted once (every stream reports it to the access log). */
  String localAddress() {
    if (localAddress == null) {
      localAddress = UpstreamStream.format(parent.localAddress());
    }
    return localAddress;
  }

  /** Whether a new stream may be opened now. */
  boolean hasCapacity() {
    if (!parent.isActive() || draining || active >= settings.maxConcurrentStreams()) {
      return false;
    }
    Http2FrameCodec codec = parent.pipeline().get(Http2FrameCodec.class);
    return codec == null || codec.connection().local().canOpenStream();
  }

  private void drain() {
    draining = true;
    if (active == 0) {
      parent.close(); // Http2FrameCodec sends GOAWAY first
    }
  }

  private void streamDone() {
    active--;
    if (draining && active == 0) {
      parent.close();
    } else {
      pool.onH2StreamDone();
    }
  }

  /** Opens a stream and hands it to {@code cb} (or reports a failure). */
  void open(UpstreamCallbacks cb) {
    active++;
    total++;
    long max = settings.maxRequestsPerConnection();
    if (max > 0 && total >= max) {
      pool.cluster.stats.cxMaxRequests.increment();
      draining = true;
    }
    StreamHandler handler = new StreamHandler(this, cb);
    new Http2StreamChannelBootstrap(parent)
        .handler(new ChannelInitializer<Http2StreamChannel>() {
          @Override
          protected void initChannel(Http2StreamChannel ch) {
            ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), handler);
          }
        })
        .open()
        .addListener(f -> {
          if (f.isSuccess()) {
            handler.stream = (Http2StreamChannel) f.getNow();
            handler.stream.closeFuture().addListener(x -> streamDone());
            cb.onUpstreamReady(handler);
          } else {
            streamDone();
            cb.onUpstreamConnectFailed(false, "stream open failed");
          }
        });
  }

  /** One stream: the exchange's {@link UpstreamStream}. */
  static final class StreamHandler extends ChannelInboundHandlerAdapter implements UpstreamStream {
    private final H2Upstream connection;
    private final UpstreamCallbacks owner;
    Http2StreamChannel stream;
    private boolean done;

    StreamHandler(H2Upstream connection, UpstreamCallbacks owner) {
      this.connection = connection;
      this.owner = owner;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (done) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (msg instanceof HttpResponse r) {
        if (r.status().code() == 100) {
          ReferenceCountUtil.release(msg);
          return;
        }
        owner.onUpstreamResponse(r);
        if (msg instanceof HttpContent c) {
          owner.onUpstreamContent(c);
        }
      } else if (msg instanceof HttpContent c) {
        owner.onUpstreamContent(c);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!done) {
        done = true;
        owner.onUpstreamClosed();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (!done) {
        owner.onUpstreamWritabilityChanged(ctx.channel().isWritable());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    @Override
    public void write(HttpObject msg) {
      stream.write(msg, stream.voidPromise());
    }

    @Override
    public void flush() {
      stream.flush();
    }

    @Override
    public void setAutoRead(boolean autoRead) {
      stream.config().setAutoRead(autoRead);
    }

    @Override
    public boolean isWritable() {
      return stream.isWritable();
    }

    @Override
    public void release(boolean reusable) {
      done = true;
      if (!reusable && stream.isActive()) {
        stream.close(); // resets the stream if still open
      }
    }

    @Override
    public String localAddress() {
      return connection.localAddress();
    }

    @Override
    public Channel channel() {
      return stream;
    }
  }
}
