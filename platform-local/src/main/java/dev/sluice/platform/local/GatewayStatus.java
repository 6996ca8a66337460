package dev.sluice.platform.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/** The ingress gateway's status port (Istio's 15021): {@code /healthz/ready} is 200 once it serves. */
final class GatewayStatus implements AutoCloseable {
  private final HttpServer server;

  private GatewayStatus(HttpServer server) {
    this.server = server;
  }

  static GatewayStatus start(int port, BooleanSupplier ready) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
      s.createContext("/healthz/ready", ex -> {
        try (ex) {
          ex.sendResponseHeaders(ready.getAsBoolean() ? 200 : 503, -1);
        }
      });
      s.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
      s.start();
      return new GatewayStatus(s);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the gateway status port " + port + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
