package dev.sluice.proxy.core.cluster;

import static java.util.Objects.requireNonNull;

/**
 * One upstream host of a cluster.
 *
 * @param address an IP literal or host name
 * @param weight load-balancing weight (>= 1)
 * @param priority 0 is the highest priority
 */
public record Endpoint(String address, int port, int weight, HealthStatus health, int priority) {

  public Endpoint {
    requireNonNull(address, "address");
    requireNonNull(health, "health");
    if (address.isEmpty()) {
      throw new IllegalArgumentException("address: \"\" (expected: an IP address or host name)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port_value: " + port + " (expected: 1..65535)");
    }
    if (weight < 1) {
      throw new IllegalArgumentException("load_balancing_weight: " + weight + " (expected: >= 1)");
    }
    if (priority < 0) {
      throw new IllegalArgumentException("priority: " + priority + " (expected: >= 0)");
    }
  }

  /** A healthy endpoint of weight 1 at priority 0. */
  public static Endpoint of(String address, int port) {
    return new Endpoint(address, port, 1, HealthStatus.HEALTHY, 0);
  }

  /** {@code address:port}, bracketing IPv6 literals, as Envoy prints hosts. */
  public String hostPort() {
    return address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
  }
}
