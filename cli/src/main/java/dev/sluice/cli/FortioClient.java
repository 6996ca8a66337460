package dev.sluice.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The part of fortio that Istio's circuit-breaking task uses, for machines without fortio: {@code
 * fortio curl [-quiet] URL} and {@code fortio load [-c N] [-n N] [-qps Q] [-loglevel L] URL}, over
 * HTTP/1.1 keep-alive connections (one per client, reopened after a {@code Connection: close}), via
 * {@code http_proxy} when set. Prints fortio's summary lines ({@code Code 200 : 17 (85.0 %)}).
 */
final class FortioClient {
  private FortioClient() {}

  static int run(List<String> args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    if (args.isEmpty() || !List.of("load", "curl").contains(args.getFirst())) {
      err.println("fortio (built into sluice): supported: fortio load [-c N] [-n N] [-qps Q] URL | fortio curl URL");
      return Main.EXIT_USAGE;
    }
    int connections = 4;
    int calls = -1;
    boolean quiet = false;
    String url = null;
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i).replaceFirst("^--", "-");
      switch (a) {
        case "-c" -> connections = Integer.parseInt(args.get(++i));
        case "-n" -> calls = Integer.parseInt(args.get(++i));
        case "-qps", "-loglevel", "-t", "-H" -> i++; // as fast as possible; no time limits here
        case "-quiet" -> quiet = true;
        default -> url = args.get(i);
      }
    }
    if (url == null) {
      err.println("fortio: missing URL");
      return Main.EXIT_USAGE;
    }
    String proxy = env.getOrDefault("http_proxy", env.get("HTTP_PROXY"));
    URI u = URI.create(url);
    try {
      if (args.getFirst().equals("curl")) {
        Result r = new Conn(u, proxy).get();
        out.print(r.head);
        out.print(r.body);
        out.flush();
        return r.status / 100 == 2 ? 0 : 1;
      }
      return load(u, proxy, connections, calls < 0 ? 40 * connections : calls, out, quiet);
    } catch (IOException e) {
      err.println("fortio: " + url + ": " + e.getMessage());
      return 1;
    }
  }

  static int load(URI u, String proxy, int connections, int calls, PrintWriter out, boolean quiet) {
    out.printf("Fortio 1.69.5 running at 0 queries per second, %d->%d procs, for %d calls: %s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors(), calls, u);
    out.printf("Starting at max qps with %d thread(s) [gomax %d] for exactly %d calls (%d per thread + %d)%n",
        connections, Runtime.getRuntime().availableProcessors(), calls, calls / connections, calls % connections);
    Map<Integer, LongAdder> codes = new ConcurrentHashMap<>();
    AtomicInteger sockets = new AtomicInteger();
    LongAdder nanos = new LongAdder();
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int mine = calls / connections + (c < calls % connections ? 1 : 0);
      threads.add(Thread.ofVirtual().start(() -> {
        Conn conn = new Conn(u, proxy);
        for (int i = 0; i < mine; i++) {
          long s = System.nanoTime();
          int status;
          try {
            status = conn.get().status;
          } catch (IOException e) {
            status = -1;
          }
          nanos.add(System.nanoTime() - s);
          codes.computeIfAbsent(status, k -> new LongAdder()).increment();
        }
        sockets.addAndGet(conn.opened);
        conn.close();
      }));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    out.printf("Ended after %.3fs : %d calls. qps=%.1f%n", seconds, calls, calls / seconds);
    out.printf("Sockets used: %d (for perfect keepalive, would be %d)%n", sockets.get(), connections);
    for (var e : new TreeMap<>(codes).entrySet()) {
      long n = e.getValue().sum();
      out.printf(Locale.ROOT, "Code %3d : %d (%.1f %%)%n", e.getKey(), n, 100.0 * n / calls);
    }
    out.printf(Locale.ROOT, "All done %d calls (plus 0 warmup) %.3f ms avg, %.1f qps%n", calls,
        nanos.sum() / 1e6 / Math.max(1, calls), calls / seconds);
    out.flush();
    return 0;
  }

  record Result(int status, String head, String body) {}

  /** One keep-alive HTTP/1.1 connection (to the proxy when set), reopened when the server closes it. */
  static final class Conn {
    private final URI target;
    private final String host;
    private final int port;
    private final boolean viaProxy;
    private Socket socket;
    private InputStream in;
    int opened;

    Conn(URI target, String proxy) {
      this.target = target;
      URI connectTo = proxy == null || proxy.isEmpty() ? target : URI.create(proxy);
      this.viaProxy = proxy != null && !proxy.isEmpty();
      this.host = connectTo.getHost();
      this.port = connectTo.getPort() > 0 ? connectTo.getPort() : 80;
    }

    Result get() throws IOException {
      if (socket == null || socket.isClosed()) {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 3000);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        opened++;
      }
      String path = target.getRawPath().isEmpty() ? "/" : target.getRawPath();
      if (target.getRawQuery() != null) {
        path += "?" + target.getRawQuery();
      }
      String authority = target.getHost() + (target.getPort() > 0 ? ":" + target.getPort() : "");
      String requestTarget = viaProxy ? "http://" + authority + path : path;
      OutputStream o = socket.getOutputStream();
      o.write(("GET " + requestTarget + " HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: fortio.org/fortio-1.69.5"
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      o.flush();
      StringBuilder head = new StringBuilder();
      String status = line();
      if (status == null) {
        close();
        throw new IOException("connection closed before a response");
      }
      head.append(status).append('\n');
      long length = -1;
      boolean chunked = false;
      boolean closeAfter = false;
      for (String h; (h = line()) != null && !h.isEmpty(); ) {
        head.append(h).append('\n');
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(h.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          closeAfter = true;
        }
      }
      head.append('\n');
      byte[] body;
      if (chunked) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (String size; (size = line()) != null; ) {
          int n = Integer.parseInt(size.split(";")[0].trim(), 16);
          if (n == 0) {
            while (true) {
              String t = line();
              if (t == null || t.isEmpty()) {
                break;
              }
            }
            break;
          }
          b.write(in.readNBytes(n));
          line();
        }
        body = b.toByteArray();
      } else if (length >= 0) {
        body = in.readNBytes((int) length);
      } else {
        body = in.readAllBytes();
        closeAfter = true;
      }
      if (closeAfter) {
        close();
      }
      return new Result(Integer.parseInt(status.split(" ")[1]), head.toString(), new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          int len = b.length();
          return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
        }
        b.append((char) c);
      }
      return b.isEmpty() ? null : b.toString();
    }

    void close() {
      try {
        if (socket != null) {
          socket.close();
        }
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
