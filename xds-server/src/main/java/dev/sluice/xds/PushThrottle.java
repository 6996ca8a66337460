package dev.sluice.xds;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * At most {@code limit} proxies with pushes in flight (istiod's {@code PILOT_PUSH_THROTTLE}); the
 * others wait in arrival order. Nothing here blocks: {@link #enter} either grants a slot or queues
 * the proxy, and {@link #leave} hands the freed slot to the proxy that waited longest and returns
 * it, so that the caller (holding no lock) starts that proxy's sends. A thread never waits for a
 * slot, so the push thread and gRPC's threads cannot deadlock on the throttle.
 *
 * <p>Guarded by itself; it calls nothing outside, so callers may hold a connection's lock.
 *
 * @param <T> the proxy (a connection, compared by identity)
 */
final class PushThrottle<T> {
  /** A proxy that was given a slot, and how long it waited for it. */
  record Grant<T>(T proxy, long waitedNanos) {}

  private final int limit;
  private final Set<T> inFlight = new HashSet<>();
  private final Map<T, Long> waiting = new LinkedHashMap<>();
  private int highWater;

  PushThrottle(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("push throttle must be at least 1, got " + limit);
    }
    this.limit = limit;
  }

  /** Whether {@code proxy} holds a slot now: it held one already, or one was free. Otherwise it waits (once) for one. */
  synchronized boolean enter(T proxy, long nowNanos) {
    if (inFlight.contains(proxy)) {
      return true;
    }
    if (waiting.containsKey(proxy)) {
      return false;
    }
    if (inFlight.size() < limit) {
      inFlight.add(proxy);
      highWater = Math.max(highWater, inFlight.size());
      return true;
    }
    waiting.put(proxy, nowNanos);
    return false;
  }

  synchronized boolean holds(T proxy) {
    return inFlight.contains(proxy);
  }

  /**
   * {@code proxy} is done (or gone): it gives up its slot or its place in the queue. Returns the
   * waiting proxy that now holds the freed slot, or null.
   */
  synchronized @Nullable Grant<T> leave(T proxy, long nowNanos) {
    if (waiting.remove(proxy) != null || !inFlight.remove(proxy)) {
      return null;
    }
    var it = waiting.entrySet().iterator();
    if (!it.hasNext()) {
      return null;
    }
    var next = it.next();
    it.remove();
    inFlight.add(next.getKey());
    return new Grant<>(next.getKey(), nowNanos - next.getValue());
  }

  synchronized int inFlight() {
    return inFlight.size();
  }

  synchronized int waiting() {
    return waiting.size();
  }

  /** The most proxies ever in flight at once. */
  synchronized int highWater() {
    return highWater;
  }

  int limit() {
    return limit;
  }
}
