package dev.sluice.proxy.core.cluster;

/** Load-balancing policies supported (Envoy's {@code Cluster.LbPolicy}). */
public enum LbPolicy {
  ROUND_ROBIN,
  LEAST_REQUEST,
  RANDOM,
  RING_HASH,
  MAGLEV
}
