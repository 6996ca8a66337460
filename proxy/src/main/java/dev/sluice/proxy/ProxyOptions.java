package dev.sluice.proxy;

import org.jspecify.annotations.Nullable;

/**
 * How to start a proxy; mirrors Envoy's command-line flags.
 *
 * @param configPath the bootstrap file (YAML or JSON), Envoy's {@code -c}
 * @param configYaml the bootstrap text itself (instead of a file; for embedding and tests)
 * @param adminPort the admin port; {@code null} uses the bootstrap's admin address or 15000; 0
 *     picks a free port
 * @param adminAddress the admin bind address
 * @param logLevel trace, debug, info, warning, error, critical or off
 * @param serviceNode node id when the bootstrap has none ({@code --service-node})
 * @param serviceCluster node cluster when the bootstrap has none ({@code --service-cluster})
 * @param concurrency event-loop threads; 0 means one per CPU
 * @param drainTime how long in-flight requests may finish on shutdown (Envoy's {@code
 *     --drain-time-s}; Istio's termination drain is 5 s)
 * @param prometheusPort the port serving only {@code /stats/prometheus} (Istio's 15090); 0 picks
 *     a free port; {@code null} serves the metrics on the admin port only
 */
public record ProxyOptions(
    @Nullable String configPath,
    @Nullable String configYaml,
    @Nullable Integer adminPort,
    String adminAddress,
    String logLevel,
    @Nullable String serviceNode,
    @Nullable String serviceCluster,
    int concurrency,
    java.time.Duration drainTime,
    @Nullable Integer prometheusPort) {

  public ProxyOptions {
    java.util.Objects.requireNonNull(adminAddress, "adminAddress");
    java.util.Objects.requireNonNull(logLevel, "logLevel");
    java.util.Objects.requireNonNull(drainTime, "drainTime");
    if (drainTime.isNegative()) {
      throw new IllegalArgumentException("drainTime: " + drainTime + " (expected: >= 0)");
    }
    if (concurrency < 0) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 0)");
    }
    if (adminPort != null && (adminPort < 0 || adminPort > 65535)) {
      throw new IllegalArgumentException("adminPort: " + adminPort + " (expected: 0..65535)");
    }
    if (prometheusPort != null && (prometheusPort < 0 || prometheusPort > 65535)) {
      throw new IllegalArgumentException("prometheusPort: " + prometheusPort + " (expected: 0..65535)");
    }
  }

  /** Options without a Prometheus listener. */
  public ProxyOptions(@Nullable String configPath, @Nullable String configYaml, @Nullable Integer adminPort,
      String adminAddress, String logLevel, @Nullable String serviceNode, @Nullable String serviceCluster,
      int concurrency, java.time.Duration drainTime) {
    this(configPath, configYaml, adminPort, adminAddress, logLevel, serviceNode, serviceCluster, concurrency,
        drainTime, null);
  }

  /** Options with the default drain time of 5 s. */
  public ProxyOptions(@Nullable String configPath, @Nullable String configYaml, @Nullable Integer adminPort,
      String adminAddress, String logLevel, @Nullable String serviceNode, @Nullable String serviceCluster,
      int concurrency) {
    this(configPath, configYaml, adminPort, adminAddress, logLevel, serviceNode, serviceCluster, concurrency,
        java.time.Duration.ofSeconds(5));
  }

  /** These options with another drain time. */
  public ProxyOptions withDrainTime(java.time.Duration drain) {
    return new ProxyOptions(configPath, configYaml, adminPort, adminAddress, logLevel, serviceNode,
        serviceCluster, concurrency, drain, prometheusPort);
  }

  /** These options with a Prometheus listener on {@code port} (0: a free port; null: none). */
  public ProxyOptions withPrometheusPort(@Nullable Integer port) {
    return new ProxyOptions(configPath, configYaml, adminPort, adminAddress, logLevel, serviceNode,
        serviceCluster, concurrency, drainTime, port);
  }

  /** Options for a bootstrap file with defaults elsewhere. */
  public static ProxyOptions ofFile(String configPath) {
    return new ProxyOptions(configPath, null, null, "127.0.0.1", "info", null, null, 0);
  }

  /** Options for bootstrap text, an ephemeral admin port and one event loop. */
  public static ProxyOptions ofYaml(String yaml) {
    return new ProxyOptions(null, yaml, 0, "127.0.0.1", "info", null, null, 1);
  }
}
