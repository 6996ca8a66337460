package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.listener.Listener;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Binds, updates and closes listeners to match the config. A listener whose address is unchanged
 * keeps its socket and its connections: only its config reference is swapped. Listeners with
 * {@code bind_to_port: false} (Istio's per-port outbound listeners) get no socket: Envoy reaches
 * them only by handing over a connection accepted on a {@code use_original_dst} listener, which
 * needs iptables redirection this proxy does not have. Confined to the xDS thread.
 */
final class ListenerManager {
  private static final Logger LOG = Logger.getLogger(ListenerManager.class.getName());
  private final ProxyServer px;
  private final EventLoopGroup group;
  private final Map<String, ActiveListener> active = new LinkedHashMap<>();
  private volatile Map<String, ActiveListener> view = Map.of();

  ListenerManager(ProxyServer px, EventLoopGroup group) {
    this.px = px;
    this.group = group;
  }

  Map<String, ActiveListener> active() {
    return view;
  }

  void update(Map<String, Listener> desired) {
    for (var it = active.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      Listener want = desired.get(e.getKey());
      ActiveListener a = e.getValue();
      if (want == null || !want.bindToPort() || !sameAddress(want, a.config)) {
        close(a);
        it.remove();
      }
    }
    for (Listener l : desired.values()) {
      if (!l.bindToPort()) {
        continue; // a virtual listener (bind_to_port: false): no socket of its own
      }
      ActiveListener a = active.get(l.name());
      if (a != null) {
        if (!a.config.equals(l)) {
          a.config = l; // in-place swap: connections stay up
        }
        continue;
      }
      a = new ActiveListener(l);
      try {
        a.serverChannel = new ServerBootstrap()
            .group(group)
            .channel(px.transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ServerInitializer(px, a))
            .bind(new InetSocketAddress(l.address(), l.port()))
            .syncUninterruptibly()
            .channel();
        active.put(l.name(), a);
        px.stats.counter("listener_manager.listener_added").increment();
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "listener " + l.name() + ": cannot bind " + l.address() + ":" + l.port()
            + " (" + ex.getMessage() + ")");
        px.stats.counter("listener_manager.listener_create_failure").increment();
      }
    }
    view = Map.copyOf(active);
    px.stats.gauge("listener_manager.total_listeners_active").set(active.size());
  }

  private static boolean sameAddress(Listener a, Listener b) {
    return a.address().equals(b.address()) && a.port() == b.port();
  }

  /** A removed listener: stop accepting, drain its connections, close the rest after the drain time. */
  private void close(ActiveListener a) {
    stopAccepting(a);
    px.stats.counter("listener_manager.listener_removed").increment();
    if (!a.connections.isEmpty()) {
      a.drainConnections();
      px.xdsExecutor().schedule(() -> {
        a.connections.close();
      }, px.drainTime().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  private static void stopAccepting(ActiveListener a) {
    if (a.serverChannel != null) {
      a.serverChannel.close().syncUninterruptibly();
    }
  }

  /** Stops accepting on every listener (start of a drain); connections stay. */
  void stopAcceptingAll() {
    for (ActiveListener a : active.values()) {
      stopAccepting(a);
      a.drainConnections();
    }
  }

  /** Whether every connection of every listener has closed. */
  boolean allDrained() {
    boolean drained = true;
    for (ActiveListener a : active.values()) {
      drained &= a.drained();
    }
    return drained;
  }

  void closeAll() {
    for (ActiveListener a : active.values()) {
      stopAccepting(a);
      a.connections.close();
    }
    active.clear();
    view = Map.of();
  }
}
