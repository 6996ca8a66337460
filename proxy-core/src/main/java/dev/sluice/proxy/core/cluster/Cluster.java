package dev.sluice.proxy.core.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An upstream cluster (Envoy's {@code Cluster}).
 *
 * @param type how endpoints are discovered
 * @param edsServiceName the ClusterLoadAssignment name to subscribe to (EDS only)
 * @param endpoints the static endpoints (STATIC / DNS types), empty for EDS
 * @param http2 whether upstream requests use HTTP/2 (h2c prior knowledge)
 * @param idleTimeout how long an idle upstream connection is kept
 * @param healthyPanicThreshold percent of healthy hosts below which all hosts are used
 * @param pool connection pool settings
 * @param outlierDetection passive health checking; {@code null}: off
 * @param originalDstHeader ORIGINAL_DST only: the request header naming the destination {@code
 *     host:port} ({@code original_dst_lb_config.use_http_header}), or empty to use the request's
 *     authority
 * @param initialFetchTimeout EDS only: how long the cluster warms waiting for its first
 *     ClusterLoadAssignment ({@code eds_config.initial_fetch_timeout}, Envoy's default 15 s);
 *     zero: no limit
 * @param istioServices the services behind the cluster from istiod's {@code
 *     metadata.filter_metadata.istio.services} (inbound clusters carry them); Istio's stats read
 *     the first one's host, name and namespace as the destination service
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
    int leastRequestChoiceCount,
    ConnectionPool pool,
    @Nullable OutlierDetection outlierDetection,
    String originalDstHeader,
    Duration initialFetchTimeout,
    List<IstioService> istioServices) {

  /**
   * One entry of istiod's {@code services} cluster metadata.
   *
   * @param host the service's FQDN ({@code details.default.svc.cluster.local})
   * @param name its short name ({@code details})
   * @param namespace its namespace
   */
  public record IstioService(String host, String name, String namespace) {
    public IstioService {
      requireNonNull(host, "host");
      requireNonNull(name, "name");
      requireNonNull(namespace, "namespace");
    }
  }

  /** Envoy's default {@code ConfigSource.initial_fetch_timeout}. */
  public static final Duration DEFAULT_INITIAL_FETCH_TIMEOUT = Duration.ofSeconds(15);

  /** How a cluster finds its endpoints. */
  public enum DiscoveryType {
    STATIC,
    EDS,
    STRICT_DNS,
    LOGICAL_DNS,
    /**
     * No endpoints of its own: each request goes to its original destination (istiod's {@code
     * PassthroughCluster}). Without iptables redirection that is the request's authority, or the
     * {@code originalDstHeader} when set.
     */
    ORIGINAL_DST
  }

  /**
   * Circuit-breaker thresholds of the default priority (Envoy defaults 1024 each, retries 3).
   * Values are unsigned 32-bit in the proto (Istio's "unlimited" is 2^32-1), hence longs.
   *
   * @param retryBudget when set, replaces {@code maxRetries} with a share of the active requests
   */
  public record CircuitBreakers(
      long maxConnections, long maxPendingRequests, long maxRequests, long maxRetries,
      @Nullable RetryBudget retryBudget) {
    public static final CircuitBreakers DEFAULT = new CircuitBreakers(1024, 1024, 1024, 3, null);

    public CircuitBreakers(long maxConnections, long maxPendingRequests, long maxRequests, long maxRetries) {
      this(maxConnections, maxPendingRequests, maxRequests, maxRetries, null);
    }

    /** The most retries allowed at once given the cluster's active and pending requests. */
    public long retryLimit(long activeRequests, long pendingRequests) {
      if (retryBudget == null) {
        return maxRetries;
      }
      return Math.max(retryBudget.minRetryConcurrency(),
          (long) (retryBudget.budgetPercent() / 100.0 * (activeRequests + pendingRequests)));
    }
  }

  /**
   * Envoy's {@code RetryBudget}: retries may be at most {@code budgetPercent} of the active plus
   * pending requests, but always at least {@code minRetryConcurrency} (defaults 20 % and 3).
   */
  public record RetryBudget(double budgetPercent, long minRetryConcurrency) {
    public RetryBudget {
      if (budgetPercent < 0 || budgetPercent > 100) {
        throw new IllegalArgumentException("budget_percent: " + budgetPercent + " (expected: 0..100)");
      }
    }
  }

  /**
   * Connection pool settings.
   *
   * @param maxRequestsPerConnection 0: unlimited; 1 disables keep-alive
   * @param maxConnectionDuration zero: none; the connection drains (closes when idle) after it
   * @param tcpKeepalive SO_KEEPALIVE settings; {@code null}: off
   * @param maxConcurrentStreams HTTP/2 streams per upstream connection
   */
  public record ConnectionPool(
      long maxRequestsPerConnection,
      Duration maxConnectionDuration,
      @Nullable TcpKeepalive tcpKeepalive,
      long maxConcurrentStreams) {
    public static final ConnectionPool DEFAULT = new ConnectionPool(0, Duration.ZERO, null, 2147483647L);

    public ConnectionPool {
      requireNonNull(maxConnectionDuration, "maxConnectionDuration");
      if (maxRequestsPerConnection < 0) {
        throw new IllegalArgumentException(
            "max_requests_per_connection: " + maxRequestsPerConnection + " (expected: >= 0)");
      }
      if (maxConcurrentStreams < 1) {
        throw new IllegalArgumentException(
            "http2_protocol_options.max_concurrent_streams: " + maxConcurrentStreams + " (expected: >= 1)");
      }
    }
  }

  /**
   * Upstream TCP keep-alive ({@code upstream_connection_options.tcp_keepalive}); zero values keep
   * the operating system's defaults.
   */
  public record TcpKeepalive(int probes, Duration time, Duration interval) {
    public TcpKeepalive {
      requireNonNull(time, "time");
      requireNonNull(interval, "interval");
    }
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
    requireNonNull(pool, "pool");
    requireNonNull(originalDstHeader, "originalDstHeader");
    requireNonNull(initialFetchTimeout, "initialFetchTimeout");
    endpoints = List.copyOf(endpoints);
    istioServices = List.copyOf(istioServices);
    if (initialFetchTimeout.isNegative()) {
      throw new IllegalArgumentException("eds_cluster_config.eds_config.initial_fetch_timeout: "
          + initialFetchTimeout + " (expected: >= 0)");
    }
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

  /** A cluster without Istio service metadata. */
  public Cluster(String name, DiscoveryType type, String edsServiceName, LbPolicy lbPolicy,
      Duration connectTimeout, List<Endpoint> endpoints, boolean http2, Duration idleTimeout,
      CircuitBreakers circuitBreakers, HashConfig hashConfig, double healthyPanicThreshold,
      int leastRequestChoiceCount, ConnectionPool pool, @Nullable OutlierDetection outlierDetection,
      String originalDstHeader, Duration initialFetchTimeout) {
    this(name, type, edsServiceName, lbPolicy, connectTimeout, endpoints, http2, idleTimeout,
        circuitBreakers, hashConfig, healthyPanicThreshold, leastRequestChoiceCount, pool, outlierDetection,
        originalDstHeader, initialFetchTimeout, List.of());
  }

  /** A cluster that is not ORIGINAL_DST. */
  public Cluster(String name, DiscoveryType type, String edsServiceName, LbPolicy lbPolicy,
      Duration connectTimeout, List<Endpoint> endpoints, boolean http2, Duration idleTimeout,
      CircuitBreakers circuitBreakers, HashConfig hashConfig, double healthyPanicThreshold,
      int leastRequestChoiceCount, ConnectionPool pool, @Nullable OutlierDetection outlierDetection) {
    this(name, type, edsServiceName, lbPolicy, connectTimeout, endpoints, http2, idleTimeout,
        circuitBreakers, hashConfig, healthyPanicThreshold, leastRequestChoiceCount, pool, outlierDetection, "",
        DEFAULT_INITIAL_FETCH_TIMEOUT);
  }

  /** A cluster with default pool settings and no outlier detection. */
  public Cluster(String name, DiscoveryType type, String edsServiceName, LbPolicy lbPolicy,
      Duration connectTimeout, List<Endpoint> endpoints, boolean http2, Duration idleTimeout,
      CircuitBreakers circuitBreakers, HashConfig hashConfig, double healthyPanicThreshold,
      int leastRequestChoiceCount) {
    this(name, type, edsServiceName, lbPolicy, connectTimeout, endpoints, http2, idleTimeout,
        circuitBreakers, hashConfig, healthyPanicThreshold, leastRequestChoiceCount,
        ConnectionPool.DEFAULT, null, "", DEFAULT_INITIAL_FETCH_TIMEOUT);
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
