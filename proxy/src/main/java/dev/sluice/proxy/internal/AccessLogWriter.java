package dev.sluice.proxy.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Appends access-log lines to a file from a background thread, so that event loops never block
 * on file I/O: they only enqueue (a lock-free queue).
 */
final class AccessLogWriter implements AutoCloseable {
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private final OutputStream out;
  private volatile boolean closed;

  AccessLogWriter(String path) throws IOException {
    this.out = switch (path) {
      case "/dev/stdout" -> System.out;
      case "/dev/stderr" -> System.err;
      default -> new FileOutputStream(path, true);
    };
    thread = Thread.ofPlatform().daemon().name("sluice-access-log").start(this::run);
  }

  void append(String line) {
    queue.add(line);
    LockSupport.unpark(thread);
  }

  private void run() {
    StringBuilder batch = new StringBuilder();
    while (!closed || !queue.isEmpty()) {
      String s;
      while ((s = queue.poll()) != null && batch.length() < 64 * 1024) {
        batch.append(s);
        if (!s.endsWith("\n")) {
          batch.append('\n');
        }
      }
      if (!batch.isEmpty()) {
        try {
          out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
          out.flush();
        } catch (IOException e) {
          // the log target went away; drop lines rather than block traffic
        }
        batch.setLength(0);
      } else {
        LockSupport.parkNanos(50_000_000L);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
