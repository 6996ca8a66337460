package dev.sluice.dashboard;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * One proxy's metrics endpoint ({@code http://127.0.0.1:PORT/stats/prometheus}) and the pod it
 * belongs to; the labels are what Prometheus service discovery attaches to the target.
 */
public record ScrapeTarget(URI url, String pod, String namespace, String app) {
  public ScrapeTarget {
    requireNonNull(url, "url");
    requireNonNull(pod, "pod");
    requireNonNull(namespace, "namespace");
    requireNonNull(app, "app");
    if (url.getHost() == null || url.getPort() < 0) {
      throw new IllegalArgumentException("url: " + url + " (expected: http://host:port/path)");
    }
  }

  /** {@code host:port}, as Prometheus names a target. */
  public String hostPort() {
    return url.getHost() + ":" + url.getPort();
  }

  /** The metrics path, {@code /metrics} when the URL has none. */
  public String path() {
    String p = url.getRawPath();
    return p == null || p.isEmpty() ? "/metrics" : p;
  }
}
