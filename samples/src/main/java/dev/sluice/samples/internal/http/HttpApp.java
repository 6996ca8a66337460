package dev.sluice.samples.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One listening HTTP/1.1 server of a sample, on the JDK's {@link HttpServer} with a virtual
 * thread per request, so that a sample costs one dispatcher thread and a few kilobytes while
 * idle (the local platform hosts dozens).
 */
public final class HttpApp implements AutoCloseable {

  /** Observes each answered request, e.g. for an access log. */
  @FunctionalInterface
  public interface Observer {
    /** Called after the response was sent. */
    void answered(Request request, Response response, long nanos);
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private HttpApp(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds {@code address:port} (0 = any free port) and serves {@code handler}. */
  public static HttpApp start(String address, int port, Handler handler) throws IOException {
    return start(address, port, handler, (req, resp, nanos) -> { });
  }

  /** As {@link #start(String, int, Handler)}, calling {@code observer} after each response. */
  public static HttpApp start(String address, int port, Handler handler, Observer observer)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 256);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", exchange -> serve(exchange, handler, observer));
    server.start();
    return new HttpApp(server, executor);
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void serve(HttpExchange exchange, Handler handler, Observer observer)
      throws IOException {
    long start = System.nanoTime();
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String rawQuery = exchange.getRequestURI().getRawQuery();
      Request request = new Request(
          exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath() == null ? "/" : exchange.getRequestURI().getRawPath(),
          rawQuery == null ? "" : rawQuery,
          exchange.getRequestHeaders(),
          body,
          exchange.getRemoteAddress(),
          exchange.getProtocol());
      Response response;
      try {
        response = handler.handle(request);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        response = Response.text(500, "text/plain; charset=utf-8", "Internal Server Error\n");
      }
      send(exchange, request, response);
      observer.answered(request, response, System.nanoTime() - start);
    }
  }

  private static void send(HttpExchange exchange, Request request, Response response)
      throws IOException {
    for (Map.Entry<String, String> h : response.headers()) {
      exchange.getResponseHeaders().add(h.getKey(), h.getValue());
    }
    int status = response.status();
    boolean noBody = request.method().equals("HEAD")
        || status < 200 || status == 204 || status == 304;
    if (noBody) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] body = response.body();
    // 0 would mean "chunked" to HttpServer; an empty body is sent with Content-length: 0.
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
