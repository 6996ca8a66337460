package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.listener.Listener;
import io.netty.channel.Channel;
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

  ActiveListener(Listener config) {
    this.name = config.name();
    this.config = config;
  }

  /** The bound port (differs from the configured one when that was 0). */
  int boundPort() {
    Channel ch = serverChannel;
    return ch == null ? -1 : ((java.net.InetSocketAddress) ch.localAddress()).getPort();
  }
}
