package dev.sluice.proxy;

import dev.sluice.proxy.internal.LogLevels;
import dev.sluice.proxy.internal.ProxyServer;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A running proxy.
 *
 * <pre>{@code
 * try (SluiceProxy proxy = SluiceProxy.start(ProxyOptions.ofFile("envoy.yaml"))) {
 *   System.out.println(proxy.readyLine());
 *   proxy.awaitTermination();
 * }
 * }</pre>
 */
public final class SluiceProxy implements AutoCloseable {
  private final ProxyServer server;
  private final long startNanos;
  private final long readyNanos;

  private SluiceProxy(ProxyServer server, long startNanos) {
    this.server = server;
    this.startNanos = startNanos;
    this.readyNanos = System.nanoTime();
  }

  /**
   * Loads the bootstrap, binds the admin port and static listeners, and starts ADS if configured.
   *
   * @throws IllegalArgumentException when the bootstrap or the options are invalid
   */
  public static SluiceProxy start(ProxyOptions options) {
    long t0 = System.nanoTime();
    Logger.getLogger("dev.sluice").setLevel(LogLevels.parse(options.logLevel()));
    ProxyServer s = new ProxyServer(new ProxyServer.Settings(options.configPath(), options.configYaml(),
        options.adminPort(), options.adminAddress(), options.serviceNode(), options.serviceCluster(),
        options.concurrency(), options.drainTime(), options.prometheusPort()));
    return new SluiceProxy(s, t0);
  }

  /** The bound admin port. */
  public int adminPort() {
    return server.adminPort();
  }

  /** The bound Prometheus port ({@code /stats/prometheus}, Istio's 15090), or -1 when not served. */
  public int prometheusPort() {
    return server.prometheusPort();
  }

  /**
   * The Prometheus text of this proxy (Envoy's stats and Istio's standard metrics): the hook for
   * an agent's merged endpoint (Istio's 15020), which appends its own and the app's metrics.
   */
  public String prometheusText() {
    return server.prometheusText();
  }

  /** Listener names and their bound ports. */
  public Map<String, Integer> listenerPorts() {
    return server.listenerPorts();
  }

  /** The bound port of listener {@code name}, or -1 when it is not active. */
  public int listenerPort(String name) {
    return server.listenerPort(name);
  }

  /** Whether the initial configuration has been loaded (Envoy's {@code /ready} LIVE). */
  public boolean isReady() {
    return server.isReady();
  }

  /** Waits up to {@code millis} for readiness. */
  public boolean awaitReady(long millis) throws InterruptedException {
    return server.awaitReady(millis);
  }

  /** Milliseconds from {@link #start} until listeners and admin were bound. */
  public long startMillis() {
    return (readyNanos - startNanos) / 1_000_000;
  }

  /** The one line printed when ready. */
  public String readyLine() {
    return "sluice-proxy ready: admin 127.0.0.1:" + adminPort() + ", listeners " + listenerPorts()
        + (prometheusPort() >= 0 ? ", prometheus 127.0.0.1:" + prometheusPort() : "")
        + " (" + startMillis() + " ms)";
  }

  /** Blocks until the proxy is closed (for example through {@code POST /quitquitquit}). */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Graceful shutdown (SIGTERM): stops accepting, lets in-flight requests finish within the drain
   * time (HTTP/1.1 responses get {@code Connection: close}, HTTP/2 connections GOAWAY), then stops
   * listeners, the ADS stream and the admin server.
   */
  @Override
  public void close() {
    server.drainAndClose();
  }
}
