package dev.sluice.samples.internal.tcpecho;

import dev.sluice.samples.RunningSample;
import dev.sluice.samples.SampleContext;
import dev.sluice.samples.internal.http.Running;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Stand-ins for Bookinfo's {@code mongodb} (27017) and {@code mysqldb} (3306) images: they accept
 * TCP connections and hold them until the client closes, which is all ratings v2 checks (see
 * Ratings: no database protocol is spoken; a reachable database is taken to hold the seed data).
 */
public final class DatabaseStub {

  private DatabaseStub() {}

  /** Listens on {@code containerPort} through the context's mapping. */
  public static RunningSample start(String name, int containerPort, SampleContext ctx) throws IOException {
    TcpServer server = TcpServer.start(ctx.bindAddress(), ctx.listenPort(containerPort), socket -> {
      while (socket.getInputStream().read(new byte[512]) > 0) {
        // Drain until the client closes.
      }
    });
    return new Running(name, Map.of(containerPort, server.port()), List.of(server));
  }
}
