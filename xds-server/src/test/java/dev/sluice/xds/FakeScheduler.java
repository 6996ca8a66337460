package dev.sluice.xds;

import java.util.PriorityQueue;

/** A scheduler whose time moves only when a test says so; tasks run on the test's thread. */
final class FakeScheduler implements Scheduler {
  private record Task(long at, long seq, Runnable r) {}

  private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) ->
      a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long now;
  private long seq;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized void schedule(Runnable task, long delayNanos) {
    tasks.add(new Task(now + Math.max(0, delayNanos), seq++, task));
  }

  /** Moves time forward by {@code millis}, running every task that falls due. */
  void advanceMillis(long millis) {
    long target;
    synchronized (this) {
      target = now + millis * 1_000_000;
    }
    while (true) {
      Task t;
      synchronized (this) {
        t = tasks.peek();
        if (t == null || t.at > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = t.at;
      }
      t.r().run();
    }
  }
}
