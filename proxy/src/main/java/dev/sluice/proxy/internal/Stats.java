package dev.sluice.proxy.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and gauges by Envoy-style dotted name ({@code cluster.<name>.upstream_rq_total}).
 * Hot paths keep the returned objects; only admin reads walk the maps. One instance per proxy
 * (no static state: several proxies may share a process).
 */
final class Stats {
  private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> gauges = new ConcurrentHashMap<>();

  LongAdder counter(String name) {
    return counters.computeIfAbsent(name, n -> new LongAdder());
  }

  AtomicLong gauge(String name) {
    return gauges.computeIfAbsent(name, n -> new AtomicLong());
  }

  Map<String, Long> counters() {
    Map<String, Long> m = new TreeMap<>();
    counters.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  Map<String, Long> gauges() {
    Map<String, Long> m = new TreeMap<>();
    gauges.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** The per-cluster statistics Envoy exposes (a subset). */
  static final class ClusterStats {
    final LongAdder rqTotal;
    final LongAdder rq2xx;
    final LongAdder rq3xx;
    final LongAdder rq4xx;
    final LongAdder rq5xx;
    final LongAdder rqPendingOverflow;
    final LongAdder rqTimeout;
    final LongAdder cxTotal;
    final LongAdder cxConnectFail;
    final LongAdder cxConnectTimeout;
    final LongAdder rqRxReset;
    final LongAdder cxProtocolError;
    final AtomicLong cxActive;
    final AtomicLong rqActive;
    final AtomicLong rqPendingActive;
    final AtomicLong membershipHealthy;
    final AtomicLong membershipTotal;
    /** Connections open or opening: the max_connections resource. */
    final AtomicLong cxOpen = new AtomicLong();
    /** Retries scheduled and not yet started: the max_retries resource. */
    final AtomicLong retriesActive = new AtomicLong();
    final LongAdder cxOverflow;
    final LongAdder rqPendingTotal;
    final LongAdder rqRetry;
    final LongAdder rqRetrySuccess;
    final LongAdder rqRetryOverflow;
    final LongAdder rqRetryLimitExceeded;
    final LongAdder rqRetryBackoff;
    final LongAdder rqPerTryTimeout;
    final LongAdder cxMaxRequests;
    final LongAdder cxMaxDuration;
    final LongAdder rqMaxDuration;
    final AtomicLong cbCxOpen;
    final AtomicLong cbCxPoolOpen;
    final AtomicLong cbRqPendingOpen;
    final AtomicLong cbRqOpen;
    final AtomicLong cbRqRetryOpen;
    final AtomicLong remainingCx;
    final AtomicLong remainingPending;
    final AtomicLong remainingRq;
    final AtomicLong remainingRetries;
    final LongAdder odEnforcedTotal;
    final LongAdder odEnforced5xx;
    final LongAdder odEnforcedGateway;
    final LongAdder odEnforcedLocal;
    final LongAdder odDetected5xx;
    final LongAdder odDetectedGateway;
    final LongAdder odDetectedLocal;
    final LongAdder odOverflow;
    final AtomicLong odActive;
    /** When the outlier interval last ran (xDS thread only). */
    long lastOutlierTick;

    ClusterStats(Stats s, String cluster) {
      String p = "cluster." + cluster + ".";
      cxOverflow = s.counter(p + "upstream_cx_overflow");
      rqPendingTotal = s.counter(p + "upstream_rq_pending_total");
      rqRetry = s.counter(p + "upstream_rq_retry");
      rqRetrySuccess = s.counter(p + "upstream_rq_retry_success");
      rqRetryOverflow = s.counter(p + "upstream_rq_retry_overflow");
      rqRetryLimitExceeded = s.counter(p + "upstream_rq_retry_limit_exceeded");
      rqRetryBackoff = s.counter(p + "upstream_rq_retry_backoff_exponential");
      rqPerTryTimeout = s.counter(p + "upstream_rq_per_try_timeout");
      cxMaxRequests = s.counter(p + "upstream_cx_max_requests");
      cxMaxDuration = s.counter(p + "upstream_cx_max_duration_reached");
      rqMaxDuration = s.counter(p + "upstream_rq_max_duration_reached");
      String cb = p + "circuit_breakers.default.";
      cbCxOpen = s.gauge(cb + "cx_open");
      cbCxPoolOpen = s.gauge(cb + "cx_pool_open");
      cbRqPendingOpen = s.gauge(cb + "rq_pending_open");
      cbRqOpen = s.gauge(cb + "rq_open");
      cbRqRetryOpen = s.gauge(cb + "rq_retry_open");
      remainingCx = s.gauge(cb + "remaining_cx");
      remainingPending = s.gauge(cb + "remaining_pending");
      remainingRq = s.gauge(cb + "remaining_rq");
      remainingRetries = s.gauge(cb + "remaining_retries");
      String od = p + "outlier_detection.";
      odEnforcedTotal = s.counter(od + "ejections_enforced_total");
      odEnforced5xx = s.counter(od + "ejections_enforced_consecutive_5xx");
      odEnforcedGateway = s.counter(od + "ejections_enforced_consecutive_gateway_failure");
      odEnforcedLocal = s.counter(od + "ejections_enforced_consecutive_local_origin_failure");
      odDetected5xx = s.counter(od + "ejections_detected_consecutive_5xx");
      odDetectedGateway = s.counter(od + "ejections_detected_consecutive_gateway_failure");
      odDetectedLocal = s.counter(od + "ejections_detected_consecutive_local_origin_failure");
      odOverflow = s.counter(od + "ejections_overflow");
      odActive = s.gauge(od + "ejections_active");
      rqTotal = s.counter(p + "upstream_rq_total");
      rq2xx = s.counter(p + "upstream_rq_2xx");
      rq3xx = s.counter(p + "upstream_rq_3xx");
      rq4xx = s.counter(p + "upstream_rq_4xx");
      rq5xx = s.counter(p + "upstream_rq_5xx");
      rqPendingOverflow = s.counter(p + "upstream_rq_pending_overflow");
      rqTimeout = s.counter(p + "upstream_rq_timeout");
      cxTotal = s.counter(p + "upstream_cx_total");
      cxConnectFail = s.counter(p + "upstream_cx_connect_fail");
      cxConnectTimeout = s.counter(p + "upstream_cx_connect_timeout");
      rqRxReset = s.counter(p + "upstream_rq_rx_reset");
      cxProtocolError = s.counter(p + "upstream_cx_protocol_error");
      cxActive = s.gauge(p + "upstream_cx_active");
      rqActive = s.gauge(p + "upstream_rq_active");
      rqPendingActive = s.gauge(p + "upstream_rq_pending_active");
      membershipHealthy = s.gauge(p + "membership_healthy");
      membershipTotal = s.gauge(p + "membership_total");
    }

    void response(int status) {
      switch (status / 100) {
        case 2 -> rq2xx.increment();
        case 3 -> rq3xx.increment();
        case 4 -> rq4xx.increment();
        case 5 -> rq5xx.increment();
        default -> { }
      }
    }

    /** Updates the circuit-breaker gauges (open flags and remaining capacity) for admin reads. */
    void refreshCircuitBreakers(dev.sluice.proxy.core.cluster.Cluster.CircuitBreakers cb) {
      long retryLimit = cb.retryLimit(rqActive.get(), rqPendingActive.get());
      setOpen(cbCxOpen, remainingCx, cxOpen.get(), cb.maxConnections());
      setOpen(cbCxPoolOpen, null, cxOpen.get(), cb.maxConnections());
      setOpen(cbRqPendingOpen, remainingPending, rqPendingActive.get(), cb.maxPendingRequests());
      setOpen(cbRqOpen, remainingRq, rqActive.get(), cb.maxRequests());
      setOpen(cbRqRetryOpen, remainingRetries, retriesActive.get(), retryLimit);
    }

    private static void setOpen(AtomicLong open, @org.jspecify.annotations.Nullable AtomicLong remaining,
        long used, long max) {
      open.set(used >= max ? 1 : 0);
      if (remaining != null) {
        remaining.set(Math.max(0, max - used));
      }
    }
  }

  /** Per HTTP connection manager statistics ({@code http.<stat_prefix>.*}). */
  static final class HttpStats {
    final LongAdder rqTotal;
    final LongAdder rq2xx;
    final LongAdder rq3xx;
    final LongAdder rq4xx;
    final LongAdder rq5xx;
    final LongAdder cxTotal;
    final LongAdder noRoute;
    final LongAdder noCluster;
    final LongAdder directResponse;
    final LongAdder protocolError;
    final AtomicLong cxActive;
    final AtomicLong rqActive;
    final LongAdder delaysInjected;
    final LongAdder abortsInjected;
    final LongAdder faultsOverflow;
    final AtomicLong activeFaults;
    final LongAdder corsOriginValid;
    final LongAdder corsOriginInvalid;
    final LongAdder maxDurationReached;
    final LongAdder cxDrainClose;
    /** The connection manager's stat prefix. */
    final String prefix;

    HttpStats(Stats s, String prefix) {
      this.prefix = prefix;
      String p = "http." + prefix + ".";
      delaysInjected = s.counter(p + "fault.delays_injected");
      abortsInjected = s.counter(p + "fault.aborts_injected");
      faultsOverflow = s.counter(p + "fault.faults_overflow");
      activeFaults = s.gauge(p + "fault.active_faults");
      corsOriginValid = s.counter(p + "cors.origin_valid");
      corsOriginInvalid = s.counter(p + "cors.origin_invalid");
      maxDurationReached = s.counter(p + "downstream_rq_max_duration_reached");
      cxDrainClose = s.counter(p + "downstream_cx_drain_close");
      rqTotal = s.counter(p + "downstream_rq_total");
      rq2xx = s.counter(p + "downstream_rq_2xx");
      rq3xx = s.counter(p + "downstream_rq_3xx");
      rq4xx = s.counter(p + "downstream_rq_4xx");
      rq5xx = s.counter(p + "downstream_rq_5xx");
      cxTotal = s.counter(p + "downstream_cx_total");
      noRoute = s.counter(p + "no_route");
      noCluster = s.counter(p + "no_cluster");
      directResponse = s.counter(p + "rq_direct_response");
      protocolError = s.counter(p + "downstream_cx_protocol_error");
      cxActive = s.gauge(p + "downstream_cx_active");
      rqActive = s.gauge(p + "downstream_rq_active");
    }

    void response(int status) {
      switch (status / 100) {
        case 2 -> rq2xx.increment();
        case 3 -> rq3xx.increment();
        case 4 -> rq4xx.increment();
        case 5 -> rq5xx.increment();
        default -> { }
      }
    }
  }
}
