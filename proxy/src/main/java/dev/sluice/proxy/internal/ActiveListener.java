package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.listener.Listener;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.jspecify.annotations.Nullable;

/**
 * A bound listener. Its config is swapped in place (one volatile write) when a new version keeps
 * the same address, so existing connections continue and pick up the change on their next
 * request.
 */
final class ActiveListener {
  final String name;
  volatile Listener config;
  @Nullable Channel serverChannel;
  /** Accepted downstream connections, for draining. */
  final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  /** Set when the listener was removed: its connections drain. */
  volatile boolean draining;

  ActiveListener(Listener config) {
    this.name = config.name();
    this.config = config;
  }

  /**
   * Starts draining the connections: idle HTTP/1.1 connections close now, busy ones after their
   * current response (which carries {@code Connection: close}); HTTP/2 connections get GOAWAY and
   * close when their streams are done.
   */
  void drainConnections() {
    draining = true;
    for (Channel ch : connections) {
      ch.eventLoop().execute(() -> Drain.start(ch));
    }
  }

  /** Whether every connection has closed, closing HTTP/2 connections whose streams are done. */
  boolean drained() {
    for (Channel ch : connections) {
      ch.eventLoop().execute(() -> Drain.closeIfIdle(ch));
    }
    return connections.isEmpty();
  }

  /** The bound port (differs from the configured one when that was 0). */
  int boundPort() {
    Channel ch = serverChannel;
    return ch == null ? -1 : ((java.net.InetSocketAddress) ch.localAddress()).getPort();
  }
}
