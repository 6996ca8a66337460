package dev.sluice.config.validation;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Istio's port protocol names (case-insensitive) and their families. */
final class Protocols {
  private Protocols() {}

  /** The canonical upper-case name, or null when Istio does not know the protocol. */
  static @Nullable String parse(String protocol) {
    return switch (protocol.toLowerCase(Locale.ROOT)) {
      case "tcp", "udp", "grpc", "grpc-web", "http", "http_proxy", "http2", "https", "tls", "mongo", "redis", "mysql" ->
          protocol.toUpperCase(Locale.ROOT);
      default -> null;
    };
  }

  static boolean isHttp(String protocol) {
    String p = parse(protocol);
    return p != null && switch (p) {
      case "HTTP", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB" -> true;
      default -> false;
    };
  }

  static boolean isTls(String protocol) {
    String p = parse(protocol);
    return "HTTPS".equals(p) || "TLS".equals(p);
  }

  static boolean isTcp(String protocol) {
    String p = parse(protocol);
    return p != null && switch (p) {
      case "TCP", "HTTPS", "TLS", "MONGO", "REDIS", "MYSQL" -> true;
      default -> false;
    };
  }

  /** Empty means "sniffed"; anything else must be known. */
  static @Nullable String validate(String protocol) {
    return protocol.isEmpty() || parse(protocol) != null ? null : "unsupported protocol: " + protocol;
  }
}
