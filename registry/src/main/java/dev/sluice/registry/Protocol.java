package dev.sluice.registry;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A service port's protocol, chosen as Istio does: {@code appProtocol} first, then the port name's
 * prefix before the first {@code -} ({@code http-web} → HTTP). Ports whose protocol cannot be told
 * are {@link #UNSUPPORTED}; Istio sniffs those, so they get HTTP routes as well.
 */
public enum Protocol {
  HTTP,
  HTTP2,
  GRPC,
  GRPC_WEB,
  HTTPS,
  TLS,
  TCP,
  MONGO,
  REDIS,
  MYSQL,
  UDP,
  UNSUPPORTED;

  /** Whether the proxy treats the port as HTTP (plain HTTP, HTTP/2, gRPC, or sniffed). */
  public boolean isHttp() {
    return this == HTTP || this == HTTP2 || this == GRPC || this == GRPC_WEB || this == UNSUPPORTED;
  }

  /** Whether upstream traffic is HTTP/2 (h2c). */
  public boolean isHttp2() {
    return this == HTTP2 || this == GRPC;
  }

  /** Parses an Istio or Kubernetes protocol name ({@code HTTP}, {@code grpc-web}, {@code kubernetes.io/h2c}). */
  public static Protocol parse(@Nullable String name) {
    if (name == null || name.isEmpty()) {
      return UNSUPPORTED;
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "http" -> HTTP;
      case "http2", "kubernetes.io/h2c" -> HTTP2;
      case "grpc" -> GRPC;
      case "grpc-web" -> GRPC_WEB;
      case "https" -> HTTPS;
      case "tls" -> TLS;
      case "tcp" -> TCP;
      case "mongo" -> MONGO;
      case "redis" -> REDIS;
      case "mysql" -> MYSQL;
      case "udp" -> UDP;
      default -> UNSUPPORTED;
    };
  }

  /** Istio's protocol selection for a Kubernetes service port. */
  public static Protocol ofServicePort(@Nullable String portName, @Nullable String appProtocol,
      @Nullable String protocol) {
    if ("UDP".equalsIgnoreCase(protocol)) {
      return UDP;
    }
    Protocol p = parse(appProtocol);
    if (p != UNSUPPORTED) {
      return p;
    }
    if (portName == null || portName.isEmpty()) {
      return UNSUPPORTED;
    }
    if (portName.equalsIgnoreCase("grpc-web") || portName.toLowerCase(Locale.ROOT).startsWith("grpc-web-")) {
      return GRPC_WEB;
    }
    int dash = portName.indexOf('-');
    return parse(dash < 0 ? portName : portName.substring(0, dash));
  }
}
