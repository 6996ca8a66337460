package dev.sluice.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs from sluiced's HTTP API. */
final class ControlPlaneClient {
  private ControlPlaneClient() {}

  /** Default sluiced address ({@code SLUICE_CONTROL_PLANE} overrides it). */
  static String defaultUrl() {
    String env = System.getenv("SLUICE_CONTROL_PLANE");
    return env == null || env.isEmpty() ? "http://127.0.0.1:15014" : env;
  }

  /** The body of {@code GET base + path}; throws with a readable message on failure. */
  static String get(String base, String path) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException(r.body().strip() + " (HTTP " + r.statusCode() + ")");
      }
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot reach sluiced at " + base + " (is `sluice control-plane` running?)", e);
    }
  }
}
