package dev.sluice.proxy.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Relays raw bytes to a peer channel with backpressure (websocket tunnels and the TCP proxy):
 * reading stops while the peer is not writable and resumes when it drains.
 */
final class TunnelHandler extends ChannelInboundHandlerAdapter {
  private final Channel peer;
  private final java.util.function.@org.jspecify.annotations.Nullable LongConsumer bytesRead;

  TunnelHandler(Channel peer) {
    this(peer, null);
  }

  /** A relay that reports the bytes it reads (Istio's TCP byte metrics). */
  TunnelHandler(Channel peer, java.util.function.@org.jspecify.annotations.Nullable LongConsumer bytesRead) {
    this.peer = peer;
    this.bytesRead = bytesRead;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (bytesRead != null && msg instanceof io.netty.buffer.ByteBuf b) {
      bytesRead.accept(b.readableBytes());
    }
    peer.write(msg, peer.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      peer.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
      ctx.close(); // TCP proxy idle timeout
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
