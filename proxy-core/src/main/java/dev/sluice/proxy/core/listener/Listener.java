package dev.sluice.proxy.core.listener;

import static java.util.Objects.requireNonNull;

/**
 * A listener: a socket address and the network filter that handles its connections (the
 * terminal filter of its default filter chain).
 */
public record Listener(String name, String address, int port, NetworkFilter filter) {
  public Listener {
    requireNonNull(name, "name");
    requireNonNull(address, "address");
    requireNonNull(filter, "filter");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("address.socket_address.port_value: " + port + " (expected: 0..65535)");
    }
  }
}
