package dev.sluice.translate;

/** istiod's resource names. */
final class Names {
  private Names() {}

  static final String BLACK_HOLE = "BlackHoleCluster";
  static final String PASSTHROUGH = "PassthroughCluster";
  static final String VIRTUAL_OUTBOUND = "virtualOutbound";
  static final String VIRTUAL_INBOUND = "virtualInbound";
  static final String HTTP_PROXY_ROUTE = "http_proxy";

  /** {@code outbound|9080|v1|reviews.default.svc.cluster.local}. */
  static String outbound(int port, String subset, String host) {
    return "outbound|" + port + "|" + subset + "|" + host;
  }

  /** {@code inbound|9080||}. */
  static String inbound(int port) {
    return "inbound|" + port + "||";
  }

  /** {@code 0.0.0.0_9080}. */
  static String listener(String address, int port) {
    return address + "_" + port;
  }

  /** {@code reviews.default.svc.cluster.local:9080}. */
  static String hostPort(String host, int port) {
    return host + ":" + port;
  }
}
