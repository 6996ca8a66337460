package dev.sluice.xds;

import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Merges change events into pushes, as istiod does: a push starts once no event arrived for the
 * quiet period ({@code PILOT_DEBOUNCE_AFTER}, 100 ms), or when the first merged event is older
 * than the maximum delay ({@code PILOT_DEBOUNCE_MAX}, 10 s), so a steady trickle of changes cannot
 * starve pushes. Pushes never overlap: events that arrive during a push wait for the next one.
 * Confined to the scheduler's thread.
 */
final class Debouncer {
  private final Scheduler scheduler;
  private final long quietNanos;
  private final long maxNanos;
  private final Consumer<PushRequest> push;
  private @Nullable PushRequest pending;
  private long lastEventNanos;
  private boolean timerArmed;

  Debouncer(Scheduler scheduler, Duration quiet, Duration max, Consumer<PushRequest> push) {
    this.scheduler = scheduler;
    this.quietNanos = quiet.toNanos();
    this.maxNanos = max.toNanos();
    this.push = push;
  }

  /** Called from any thread. */
  void submit(PushRequest request) {
    scheduler.execute(() -> onEvent(request));
  }

  private void onEvent(PushRequest request) {
    pending = pending == null ? request : pending.merge(request);
    lastEventNanos = scheduler.nanoTime();
    if (!timerArmed) {
      timerArmed = true;
      scheduler.schedule(this::check, quietNanos);
    }
  }

  private void check() {
    timerArmed = false;
    PushRequest p = pending;
    if (p == null) {
      return;
    }
    long now = scheduler.nanoTime();
    long quietFor = now - lastEventNanos;
    long waited = now - p.startNanos();
    if (quietFor >= quietNanos || waited >= maxNanos) {
      pending = null;
      push.accept(p);
    } else {
      timerArmed = true;
      scheduler.schedule(this::check, Math.min(quietNanos - quietFor, maxNanos - waited));
    }
  }
}
