package dev.sluice.samples.internal.tcpecho;

import dev.sluice.samples.RunningSample;
import dev.sluice.samples.SampleContext;
import dev.sluice.samples.internal.http.Running;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tcp-echo ({@code istio/tcp-echo-server}, Go in the original): args {@code "9000,9001,9002"
 * "<prefix>"}; on each port, every line received is answered with {@code <prefix> <line>}. A last
 * line without a newline is dropped, as the original's {@code ReadBytes('\n')} does.
 */
public final class TcpEcho {

  private TcpEcho() {}

  /** The ports named by the first argument; empty when the arguments are not the two expected. */
  public static List<Integer> ports(List<String> args) {
    if (args.size() != 2) {
      return List.of();
    }
    List<Integer> ports = new ArrayList<>();
    for (String p : args.getFirst().split(",")) {
      ports.add(Integer.parseInt(p.trim()));
    }
    return ports;
  }

  /** Listens on every port of the first argument, through the context's port mapping. */
  public static RunningSample start(String name, SampleContext ctx) throws IOException {
    List<String> args = ctx.args();
    if (args.size() != 2) {
      throw new IllegalArgumentException("you should run it like: 'main [PORTS...] prefix' , please"
          + " notice PORTS are comma-delineated , like  port 1[,port 2]  (args: " + args + ")");
    }
    String prefix = args.get(1);
    Map<Integer, Integer> bound = new LinkedHashMap<>();
    List<TcpServer> servers = new ArrayList<>();
    try {
      for (int port : ports(args)) {
        TcpServer server = TcpServer.start(ctx.bindAddress(), ctx.listenPort(port),
            socket -> echo(socket, prefix, ctx));
        servers.add(server);
        bound.put(port, server.port());
        ctx.log().accept("listening on [::]:" + port + ", prefix: " + prefix);
      }
    } catch (IOException e) {
      for (TcpServer s : servers) {
        s.close();
      }
      throw e;
    }
    return new Running(name, bound, servers);
  }

  static void echo(Socket socket, String prefix, SampleContext ctx) throws IOException {
    socket.setTcpNoDelay(true);
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] prefixBytes = (prefix + " ").getBytes(StandardCharsets.UTF_8);
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) > 0) {
      for (int i = 0; i < n; i++) {
        line.write(buf[i]);
        if (buf[i] == '\n') {
          String text = line.toString(StandardCharsets.UTF_8);
          ctx.log().accept("request: " + text.stripTrailing());
          ctx.log().accept("response: " + prefix + " " + text.stripTrailing());
          out.write(prefixBytes);
          line.writeTo(out);
          out.flush();
          line.reset();
        }
      }
    }
  }
}
