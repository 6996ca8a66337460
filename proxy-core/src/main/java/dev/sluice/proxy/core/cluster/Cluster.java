package dev.sluice.proxy.core.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * An upstream cluster (Envoy's {@code Cluster}).
 *
 * @param type how endpoints are discovered
 * @param edsServiceName the ClusterLoadAssignment name to subscribe to (EDS only)
 * @param endpoints the static endpoints (STATIC / DNS types), empty for EDS
 * @param http2 whether upstream requests use HTTP/2 (h2c prior knowledge)
 * @param idleTimeout how long an idle upstream connection is kept
 * @param healthyPanicThreshold percent of healthy hosts below which all hosts are used
 */
public record Cluster(
    String name,
    DiscoveryType type,
    String edsServiceName,
    LbPolicy lbPolicy,
    Duration connectTimeout,
    List<Endpoint> endpoints,
    boolean http2,
    Duration idleTimeout,
    CircuitBreakers circuitBreakers,
    HashConfig hashConfig,
    double healthyPanicThreshold,
    int leastRequestChoiceCount) {

  /** How a cluster finds its endpoints. */
  public enum DiscoveryType {
    STATIC,
    EDS,
    STRICT_DNS,
    LOGICAL_DNS
  }

  /** Circuit-breaker thresholds of the default priority (Envoy defaults 1024 each, retries 3). */
  public record CircuitBreakers(
      int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries) {
    public static final CircuitBreakers DEFAULT = new CircuitBreakers(1024, 1024, 1024, 3);
  }

  /** Ring-hash and Maglev table sizes. */
  public record HashConfig(long minRingSize, long maxRingSize, long maglevTableSize) {
    public static final HashConfig DEFAULT = new HashConfig(1024, 8 * 1024 * 1024, 65537);

    public HashConfig {
      if (minRingSize < 1 || maxRingSize < minRingSize || maxRingSize > 8 * 1024 * 1024) {
        throw new IllegalArgumentException(
            "ring_hash_lb_config: minimum_ring_size " + minRingSize + ", maximum_ring_size "
                + maxRingSize + " (expected: 1 <= minimum <= maximum <= 8M)");
      }
      if (maglevTableSize < 2 || !java.math.BigInteger.valueOf(maglevTableSize).isProbablePrime(20)) {
        throw new IllegalArgumentException(
            "maglev_lb_config.table_size: " + maglevTableSize + " (expected: a prime)");
      }
    }
  }

  public Cluster {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(edsServiceName, "edsServiceName");
    requireNonNull(lbPolicy, "lbPolicy");
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(circuitBreakers, "circuitBreakers");
    requireNonNull(hashConfig, "hashConfig");
    endpoints = List.copyOf(endpoints);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: \"\" (expected: a cluster name)");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connect_timeout: " + connectTimeout + " (expected: > 0)");
    }
    if (healthyPanicThreshold < 0 || healthyPanicThreshold > 100) {
      throw new IllegalArgumentException(
          "healthy_panic_threshold: " + healthyPanicThreshold + " (expected: 0..100)");
    }
    if (leastRequestChoiceCount < 2) {
      throw new IllegalArgumentException(
          "least_request_lb_config.choice_count: " + leastRequestChoiceCount + " (expected: >= 2)");
    }
  }

  /** A STATIC round-robin cluster with Envoy's defaults. */
  public static Cluster ofStatic(String name, List<Endpoint> endpoints) {
    return new Cluster(
        name, DiscoveryType.STATIC, "", LbPolicy.ROUND_ROBIN, Duration.ofSeconds(5), endpoints,
        false, Duration.ofHours(1), CircuitBreakers.DEFAULT, HashConfig.DEFAULT, 50.0, 2);
  }

  /** The name of the ClusterLoadAssignment this cluster reads (EDS). */
  public String edsName() {
    return edsServiceName.isEmpty() ? name : edsServiceName;
  }
}
