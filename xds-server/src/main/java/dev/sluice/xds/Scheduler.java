package dev.sluice.xds;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Time and delayed execution, so that tests can drive the debouncer without sleeping. */
public interface Scheduler {
  /** Monotonic nanoseconds. */
  long nanoTime();

  /** Runs {@code task} after {@code delayNanos} on the scheduler's single thread. */
  void schedule(Runnable task, long delayNanos);

  /** Runs {@code task} soon on the scheduler's single thread. */
  default void execute(Runnable task) {
    schedule(task, 0);
  }

  /** A scheduler on one executor thread. */
  static Scheduler of(ScheduledExecutorService executor) {
    return new Scheduler() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void schedule(Runnable task, long delayNanos) {
        if (delayNanos <= 0) {
          executor.execute(task);
        } else {
          executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        }
      }
    };
  }
}
