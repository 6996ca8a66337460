package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.core.filter.Fraction;

/**
 * Envoy's {@code RouteAction.RequestMirrorPolicy}: a fire-and-forget copy of the request to
 * {@code cluster} for {@code fraction} of requests. The copy's authority gets {@code -shadow}
 * appended to the host (before any port) unless {@code disableShadowHostSuffix}; its response is
 * discarded.
 */
public record MirrorPolicy(String cluster, Fraction fraction, boolean disableShadowHostSuffix) {
  public MirrorPolicy {
    requireNonNull(cluster, "cluster");
    requireNonNull(fraction, "fraction");
    if (cluster.isEmpty()) {
      throw new IllegalArgumentException("cluster: \"\" (expected: a cluster name)");
    }
  }

  /** Envoy's shadow authority: {@code host:port} becomes {@code host-shadow:port}. */
  public static String shadowAuthority(String authority) {
    int colon = authority.lastIndexOf(':');
    int bracket = authority.lastIndexOf(']');
    if (colon > bracket && colon >= 0) {
      return authority.substring(0, colon) + "-shadow" + authority.substring(colon);
    }
    return authority + "-shadow";
  }
}
