package dev.sluice.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny sidecar stand-in for tests: an HTTP forward proxy (absolute-form request lines, as
 * {@code http_proxy} clients send) that routes by the request's {@code host:port} to a loopback
 * port, records what it forwarded, and answers 503 {@code no healthy upstream} for unknown hosts.
 */
final class ForwardProxy implements AutoCloseable {

  /** One forwarded request: authority, path and lower-case headers. */
  record Seen(String authority, String path, Map<String, List<String>> headers) {
    String header(String name) {
      List<String> v = headers.get(name);
      return v == null ? null : v.getFirst();
    }
  }

  private static final Set<String> HOP = Set.of("connection", "host", "content-length",
      "proxy-connection", "keep-alive", "upgrade", "expect", "transfer-encoding");

  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, Integer> routes = new ConcurrentHashMap<>();
  final List<Seen> seen = new CopyOnWriteArrayList<>();

  ForwardProxy() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::forward);
    server.start();
  }

  /** Routes {@code authority} (e.g. {@code reviews:9080}) to a loopback port; -1 removes it. */
  ForwardProxy route(String authority, int port) {
    if (port < 0) {
      routes.remove(authority);
    } else {
      routes.put(authority, port);
    }
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Seen> seen(String host) {
    return seen.stream().filter(s -> s.authority().startsWith(host + ":")).toList();
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      String authority = uri.getAuthority() != null ? uri.getAuthority()
          : exchange.getRequestHeaders().getFirst("Host");
      Map<String, List<String>> headers = new java.util.TreeMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      seen.add(new Seen(authority, uri.getRawPath(), headers));
      Integer port = routes.get(authority);
      byte[] body;
      int status;
      if (port == null) {
        status = 503;
        body = "no healthy upstream".getBytes();
      } else {
        String target = "http://127.0.0.1:" + port + uri.getRawPath()
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(
                exchange.getRequestBody().readAllBytes()));
        headers.forEach((k, vs) -> {
          if (!HOP.contains(k)) {
            vs.forEach(v -> b.header(k, v));
          }
        });
        try {
          HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
          status = r.statusCode();
          body = r.body();
          r.headers().firstValue("content-type")
              .ifPresent(ct -> exchange.getResponseHeaders().add("Content-Type", ct));
        } catch (IOException e) {
          status = 503;
          body = "upstream connect error or disconnect/reset before headers".getBytes();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    client.close();
  }
}
