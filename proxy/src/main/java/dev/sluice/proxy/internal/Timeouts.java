package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.route.RouteAction;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Envoy's router timeouts of one request: the route timeout or {@code
 * x-envoy-upstream-rq-timeout-ms}, a {@code grpc-timeout} capped by {@code
 * grpc_timeout_header_max}; the per-try timeout or {@code x-envoy-upstream-rq-per-try-timeout-ms}
 * (ignored when not below the global one). Zero means none.
 *
 * @param globalMs the whole request's timeout, all tries included
 * @param perTryMs each try's timeout
 */
record Timeouts(long globalMs, long perTryMs) {

  /**
   * Computes the timeouts from the route and the request headers; removes the {@code x-envoy-*}
   * timeout headers and sets {@code x-envoy-expected-rq-timeout-ms}, as Envoy's router does.
   */
  static Timeouts compute(RouteAction.Forward f, HttpHeaders hs) {
    long global = f.timeout().toMillis();
    String h = hs.get(HeaderRules.X_ENVOY_UPSTREAM_RQ_TIMEOUT_MS);
    if (h != null) {
      hs.remove(HeaderRules.X_ENVOY_UPSTREAM_RQ_TIMEOUT_MS);
      long v = parseMillis(h);
      if (v >= 0) {
        global = v;
      }
    }
    if (f.grpcTimeoutHeaderMax() != null) {
      String g = hs.get(HeaderRules.GRPC_TIMEOUT);
      long v = g == null ? -1 : parseGrpcTimeout(g);
      if (v >= 0) {
        long cap = f.grpcTimeoutHeaderMax().toMillis();
        global = cap > 0 ? Math.min(v, cap) : v;
      }
    }
    long perTry = f.retryPolicy() == null ? 0 : f.retryPolicy().perTryTimeout().toMillis();
    String p = hs.get(HeaderRules.X_ENVOY_UPSTREAM_RQ_PER_TRY_TIMEOUT_MS);
    if (p != null) {
      hs.remove(HeaderRules.X_ENVOY_UPSTREAM_RQ_PER_TRY_TIMEOUT_MS);
      long v = parseMillis(p);
      if (v >= 0) {
        perTry = v;
      }
    }
    if (global > 0 && perTry >= global) {
      perTry = 0;
    }
    long expected = perTry > 0 ? perTry : global;
    if (expected > 0) {
      hs.set(HeaderRules.X_ENVOY_EXPECTED_RQ_TIMEOUT_MS, Long.toString(expected));
    }
    return new Timeouts(global, perTry);
  }

  private static long parseMillis(String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** gRPC's {@code grpc-timeout}: digits and a unit H, M, S, m, u or n; -1 when invalid. */
  static long parseGrpcTimeout(String v) {
    if (v.length() < 2 || v.length() > 9) {
      return -1;
    }
    long n = parseMillis(v.substring(0, v.length() - 1));
    if (n < 0) {
      return -1;
    }
    return switch (v.charAt(v.length() - 1)) {
      case 'H' -> n * 3_600_000;
      case 'M' -> n * 60_000;
      case 'S' -> n * 1000;
      case 'm' -> n;
      case 'u' -> n / 1000;
      case 'n' -> n / 1_000_000;
      default -> -1;
    };
  }
}
