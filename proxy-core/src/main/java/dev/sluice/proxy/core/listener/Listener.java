package dev.sluice.proxy.core.listener;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.core.telemetry.TrafficDirection;

/**
 * A listener: a socket address and the network filter that handles its connections (the
 * terminal filter of its default filter chain).
 *
 * @param direction {@code traffic_direction}: INBOUND listeners report as the destination and
 *     open server spans
 * @param bindToPort {@code bind_to_port}; false for Istio's virtual listeners, which get no socket
 *     and are reached only by an original-destination handoff
 */
public record Listener(String name, String address, int port, NetworkFilter filter, TrafficDirection direction,
    boolean bindToPort) {
  public Listener {
    requireNonNull(name, "name");
    requireNonNull(direction, "direction");
    requireNonNull(address, "address");
    requireNonNull(filter, "filter");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("address.socket_address.port_value: " + port + " (expected: 0..65535)");
    }
  }

  /** A listener that binds its port. */
  public Listener(String name, String address, int port, NetworkFilter filter, TrafficDirection direction) {
    this(name, address, port, filter, direction, true);
  }

  /** A listener without a traffic direction. */
  public Listener(String name, String address, int port, NetworkFilter filter) {
    this(name, address, port, filter, TrafficDirection.UNSPECIFIED, true);
  }
}
