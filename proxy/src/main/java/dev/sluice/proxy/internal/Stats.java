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

    ClusterStats(Stats s, String cluster) {
      String p = "cluster." + cluster + ".";
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

    HttpStats(Stats s, String prefix) {
      String p = "http." + prefix + ".";
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
