package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.cluster.Endpoint;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One upstream host of a cluster at runtime: its address and live counters. Kept across config
 * swaps while the cluster still has the same {@code address:port}, so per-host counters and the
 * per-event-loop connection pools (keyed by this object) survive EDS updates.
 */
final class HostRuntime {
  final String hostPort;
  final InetSocketAddress address;
  volatile Endpoint endpoint;
  final AtomicInteger activeRequests = new AtomicInteger();
  final AtomicInteger activeConnections = new AtomicInteger();
  final LongAdder rqTotal = new LongAdder();
  final LongAdder rqError = new LongAdder();
  final LongAdder cxConnectFail = new LongAdder();
  /** ORIGINAL_DST hosts: when a request last picked it (plain field: an approximate value is enough). */
  long lastUsedNanos;
  /** Outlier detection state; survives config swaps with the host. */
  final dev.sluice.proxy.core.cluster.OutlierMonitor outlier = new dev.sluice.proxy.core.cluster.OutlierMonitor();

  HostRuntime(Endpoint endpoint) {
    this.endpoint = endpoint;
    this.hostPort = endpoint.hostPort();
    // Unresolved for host names: resolution happens at connect time.
    this.address = InetSocketAddress.createUnresolved(endpoint.address(), endpoint.port());
  }

  InetSocketAddress resolvedOrUnresolved() {
    return address;
  }
}
