package dev.sluice.platform.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A pass-through in front of a sidecar's {@code http_proxy} listener that turns HTTP/1.1
 * absolute-form request targets ({@code GET http://reviews:9080/reviews/0}, what every client sends
 * to an HTTP proxy) into origin form ({@code GET /reviews/0}); the Host header is left as the client
 * sent it. Everything else is copied byte for byte.
 *
 * <p>Why: sluice-proxy matches routes on the raw request target, so an absolute-form request
 * matches no path and gets 404 (Envoy strips the scheme and authority first). Until the proxy does
 * that itself, the local platform puts this shim on the port it advertises in {@code http_proxy}.
 * Blocking I/O on virtual threads: two per connection, no buffering beyond one request head.
 */
final class OriginFormShim implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private OriginFormShim(ServerSocket server, int target) {
    this.server = server;
    this.target = target;
  }

  /** Listens on 127.0.0.1:{@code port} and forwards to 127.0.0.1:{@code target}. */
  static OriginFormShim start(int port, int target) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
    OriginFormShim shim = new OriginFormShim(s, target);
    Thread.ofVirtual().name("shim-accept-" + port).start(shim::accept);
    return shim;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  private void serve(Socket client) {
    open.add(client);
    try (client; Socket upstream = new Socket()) {
      open.add(upstream);
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
      upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
      Thread back = Thread.ofVirtual().start(() -> copy(upstream, client));
      try {
        requests(new BufferedInputStream(client.getInputStream(), 16 * 1024), upstream.getOutputStream());
        upstream.shutdownOutput();
      } catch (IOException e) {
        // the client went away: closing both ends below
      }
      back.join();
    } catch (IOException | InterruptedException e) {
      // connection failed or closed; nothing to report
    } finally {
      open.remove(client);
    }
  }

  private static void copy(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      try {
        to.close();
        from.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  /** Copies requests, rewriting request lines, until the client closes or a tunnel starts. */
  static void requests(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String line = readLine(in);
      if (line == null) {
        return;
      }
      if (line.isEmpty()) {
        out.write(CRLF);
        continue;
      }
      out.write((originForm(line) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      long length = 0;
      boolean chunked = false;
      boolean tunnel = line.regionMatches(true, 0, "CONNECT ", 0, 8);
      String header;
      while ((header = readLine(in)) != null && !header.isEmpty()) {
        out.write((header + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int colon = header.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = parseLength(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "upgrade" -> tunnel = true;
          default -> { }
        }
      }
      out.write(CRLF);
      out.flush();
      if (header == null) {
        return;
      }
      if (tunnel) {
        in.transferTo(out); // websocket or CONNECT: bytes from here on are not HTTP requests
        return;
      }
      if (chunked) {
        copyChunked(in, out);
      } else if (length > 0) {
        copyExactly(in, out, length);
      }
      out.flush();
    }
  }

  private static final byte[] CRLF = {'\r', '\n'};

  /** {@code GET http://host:port/path?q HTTP/1.1} → {@code GET /path?q HTTP/1.1}; other lines unchanged. */
  static String originForm(String requestLine) {
    int sp1 = requestLine.indexOf(' ');
    int sp2 = requestLine.lastIndexOf(' ');
    if (sp1 < 0 || sp2 <= sp1) {
      return requestLine;
    }
    String target = requestLine.substring(sp1 + 1, sp2);
    String lower = target.toLowerCase(Locale.ROOT);
    int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
    if (schemeEnd < 0) {
      return requestLine;
    }
    int slash = target.indexOf('/', schemeEnd);
    int query = target.indexOf('?', schemeEnd);
    String path = slash >= 0 && (query < 0 || slash < query) ? target.substring(slash)
        : query >= 0 ? "/" + target.substring(query) : "/";
    return requestLine.substring(0, sp1 + 1) + path + requestLine.substring(sp2);
  }

  private static long parseLength(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void copyChunked(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String size = readLine(in);
      if (size == null) {
        return;
      }
      out.write((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      int semi = size.indexOf(';');
      long n;
      try {
        n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
      } catch (NumberFormatException e) {
        return;
      }
      if (n == 0) {
        String trailer;
        while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
          out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write(CRLF);
        return;
      }
      copyExactly(in, out, n);
      String end = readLine(in);
      out.write(CRLF);
      if (end == null) {
        return;
      }
    }
  }

  private static void copyExactly(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        return;
      }
      out.write(buf, 0, r);
      n -= r;
    }
  }

  /** One line without its CRLF (or LF), or null at end of stream; heads over 64 KiB are cut off. */
  private static @Nullable String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int len = b.size();
        byte[] bytes = b.toByteArray();
        return new String(bytes, 0, len > 0 && bytes[len - 1] == '\r' ? len - 1 : len, StandardCharsets.ISO_8859_1);
      }
      if (b.size() < 64 * 1024) {
        b.write(c);
      }
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
