package dev.sluice.samples.internal.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * A sample's outbound HTTP client: HTTP/1.1 (no h2c upgrade attempts, as the originals' clients),
 * through the pod's sidecar when {@code http_proxy} is set, with the service name in the URI so
 * that the sidecar routes by host.
 */
public final class Outbound implements AutoCloseable {

  /** An answer from upstream: status, body text and content type (empty when absent). */
  public record Result(int status, String body, String contentType) {}

  // java.net.http refuses to set these; none of them is in a sample's forwarding list.
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final HttpClient client;
  private final ExecutorService executor;

  private Outbound(HttpClient client, ExecutorService executor) {
    this.client = client;
    this.executor = executor;
  }

  /** A client configured from an app's environment ({@code http_proxy}, {@code no_proxy}). */
  public static Outbound fromEnv(Map<String, String> env) {
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .proxy(EnvProxySelector.fromEnv(env))
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
    return new Outbound(client, executor);
  }

  /**
   * GETs {@code url} with {@code headers}, waiting at most {@code timeout} (null: no limit) for
   * the response.
   *
   * @throws IOException on connect failure or timeout ({@link java.net.http.HttpTimeoutException})
   */
  public Result get(String url, List<Map.Entry<String, String>> headers, @Nullable Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).GET();
    if (timeout != null) {
      builder.timeout(timeout);
    }
    for (Map.Entry<String, String> h : headers) {
      if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        builder.header(h.getKey(), h.getValue());
      }
    }
    HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    return new Result(response.statusCode(), response.body(),
        response.headers().firstValue("content-type").orElse(""));
  }

  @Override
  public void close() {
    client.shutdownNow();
    executor.shutdownNow();
  }
}
