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

  /**
   * The destination named by an HTTP authority ({@code host}, {@code host:port}, {@code
   * [v6]:port}), as an ORIGINAL_DST cluster forwards to it; {@code defaultPort} when it has no
   * port. Null when it is not a valid authority.
   */
  public static @org.jspecify.annotations.Nullable Endpoint fromAuthority(String authority, int defaultPort) {
    String host = authority;
    int port = defaultPort;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = authority.substring(1, close);
      if (close + 1 < authority.length()) {
        if (authority.charAt(close + 1) != ':') {
          return null;
        }
        port = parsePort(authority.substring(close + 2));
      }
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0) {
        if (authority.indexOf(':') != colon) {
          return null; // an IPv6 literal must be bracketed
        }
        host = authority.substring(0, colon);
        port = parsePort(authority.substring(colon + 1));
      }
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      return null;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c <= ' ' || c == '/' || c == '@' || c == '?' || c == '#' || c >= 0x7f) {
        return null;
      }
    }
    return of(host, port);
  }

  private static int parsePort(String s) {
    if (s.isEmpty() || s.length() > 5) {
      return -1;
    }
    int p = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      p = p * 10 + (c - '0');
    }
    return p;
  }
}
