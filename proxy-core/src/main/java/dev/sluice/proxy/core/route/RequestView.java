package dev.sluice.proxy.core.route;

import org.jspecify.annotations.Nullable;

/**
 * What route matching and hash policies may read from a request. The runtime adapts its own
 * header representation to this interface, so no copy is made per request.
 */
public interface RequestView {

  /** The {@code :authority} (or {@code Host}) as received, possibly with a port. */
  String authority();

  /** The {@code :path} as received, including any query string. */
  String path();

  /** The request method, e.g. {@code GET}. */
  String method();

  /**
   * The value of header {@code lowerCaseName}, with several values joined by {@code ","} as
   * Envoy's header matchers see them; {@code null} when absent.
   */
  @Nullable String header(String lowerCaseName);

  /** The downstream peer's IP address as text, for source-IP hashing; empty when unknown. */
  default String sourceIp() {
    return "";
  }
}
