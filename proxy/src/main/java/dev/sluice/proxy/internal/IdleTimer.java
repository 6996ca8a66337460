package dev.sluice.proxy.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * An idle timeout kept with one timer per connection instead of a task scheduled and cancelled
 * per request or per write: {@link #touch()} only records the time; when the timer fires early
 * (there was activity meanwhile, or the connection is in use) it re-arms itself for the time
 * that remains. Event-loop confined, like the connection it watches.
 */
final class IdleTimer {
  private final EventExecutor loop;
  private final long timeoutNanos;
  private final BooleanSupplier idle;
  private final BooleanSupplier alive;
  private final Runnable expire;
  private long lastActivityNanos;
  private @Nullable ScheduledFuture<?> timer;

  /**
   * @param idle whether the connection counts as idle now (nothing in progress)
   * @param alive whether the connection is still there to watch
   * @param expire what to do once it has been idle for {@code timeoutNanos}
   */
  IdleTimer(EventExecutor loop, long timeoutNanos, BooleanSupplier idle, BooleanSupplier alive, Runnable expire) {
    this.loop = loop;
    this.timeoutNanos = timeoutNanos;
    this.idle = idle;
    this.alive = alive;
    this.expire = expire;
  }

  /** Activity now: the timeout counts from here. Arms the timer if it is not running. */
  void touch() {
    lastActivityNanos = System.nanoTime();
    if (timer == null) {
      timer = loop.schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void check() {
    timer = null;
    if (!alive.getAsBoolean()) {
      return;
    }
    long idleFor = System.nanoTime() - lastActivityNanos;
    boolean idleNow = idle.getAsBoolean();
    if (idleNow && idleFor >= timeoutNanos) {
      expire.run();
      return;
    }
    long next = idleNow ? timeoutNanos - idleFor : timeoutNanos; // in use: look again one timeout later
    timer = loop.schedule(this::check, Math.max(next, 1), TimeUnit.NANOSECONDS);
  }
}
