package dev.sluice.config.istio;

import dev.sluice.config.Immutables;
import dev.sluice.config.istio.Common.Port;
import dev.sluice.config.istio.Common.ServerTls;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code networking.istio.io Gateway}: listeners of a standalone gateway proxy. */
public record Gateway(List<Server> servers, Map<String, String> selector) implements Spec {
  public Gateway {
    servers = Immutables.list(servers);
    selector = Immutables.map(selector);
  }

  /** {@code Server}. */
  public record Server(
      @Nullable Port port,
      @Nullable String bind,
      List<String> hosts,
      @Nullable ServerTls tls,
      @Nullable String defaultEndpoint,
      @Nullable String name) {
    public Server {
      hosts = Immutables.list(hosts);
    }
  }
}
