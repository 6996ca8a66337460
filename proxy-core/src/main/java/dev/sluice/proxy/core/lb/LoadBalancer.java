package dev.sluice.proxy.core.lb;

import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Picks an endpoint of a cluster. Implementations are immutable apart from lock-free counters and
 * may be called from any event loop.
 *
 * <pre>{@code
 * LoadBalancer lb = LoadBalancers.create(cluster, endpoints, i -> active[i].get());
 * int host = lb.pick(hash, ThreadLocalRandom.current()); // index into endpoints, or -1
 * }</pre>
 */
public interface LoadBalancer {

  /**
   * Chooses an endpoint.
   *
   * @param hash the request hash for RING_HASH and MAGLEV ({@code null}: pick at random)
   * @return the index of the endpoint in the list given at creation, or -1 when no endpoint is
   *     usable (Envoy: 503 UH)
   */
  int pick(@Nullable Long hash, RandomGenerator random);
}
