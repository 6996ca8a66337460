package dev.sluice.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * Chooses HTTP/1.1 or HTTP/2 (h2c with prior knowledge) from the first bytes of a connection,
 * sets up the matching codec and removes itself; the bytes read so far go to the new codec.
 *
 * <p>Pipeline position: first handler of an HTTP listener's connection.
 */
final class ProtocolDetector extends ByteToMessageDecoder {
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
  private final ServerInitializer initializer;

  ProtocolDetector(ServerInitializer initializer) {
    this.initializer = initializer;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
    if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, n)) {
      initializer.configureHttp1(ctx.pipeline());
      ctx.pipeline().remove(this);
    } else if (n == PREFACE.readableBytes()) {
      initializer.configureHttp2(ctx.pipeline());
      ctx.pipeline().remove(this);
    }
    // else: a prefix of the preface so far; wait for more bytes
  }
}
