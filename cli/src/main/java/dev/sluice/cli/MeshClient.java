package dev.sluice.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks to a running mesh through sluiced's HTTP API (15014): config and platform endpoints. */
final class MeshClient {
  /** A status and a body. */
  record Reply(int status, String body) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  MeshClient(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** The mesh at {@code --control-plane}, {@code $SLUICE_CONTROL_PLANE} or 127.0.0.1:15014. */
  static MeshClient of(String url) {
    return new MeshClient(url != null ? url : ControlPlaneClient.defaultUrl());
  }

  Reply get(String path) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Reply post(String path, String body) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply delete(String path) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  private Reply send(HttpRequest.Builder b) throws IOException {
    try {
      HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot reach the mesh at " + base + " (is `sluice up` running?)", e);
    }
  }

  /** Whether anything answers at the API. */
  boolean reachable() {
    try {
      return get("/ready").ok();
    } catch (IOException e) {
      return false;
    }
  }
}
