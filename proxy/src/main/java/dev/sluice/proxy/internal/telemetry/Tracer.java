package dev.sluice.proxy.internal.telemetry;

import dev.sluice.proxy.core.telemetry.TraceProvider;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Exports finished spans on one daemon thread (Envoy's tracer flush): event loops only {@link
 * #submit} to a lock-free queue (bounded: spans beyond {@value #QUEUE_MAX} are dropped and
 * counted); the thread batches them per provider every {@value #FLUSH_MS} ms or {@value #BATCH}
 * spans and sends them with the provider's {@link SpanExporter}. Collector clusters are resolved
 * to a host at send time through {@code resolve}. The thread starts with the first span, so a
 * proxy without tracing configured has none.
 */
public final class Tracer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Tracer.class.getName());
  static final int QUEUE_MAX = 10_000;
  static final int BATCH = 256;
  static final long FLUSH_MS = 200;

  private record Pending(SpanData span, TraceProvider provider) {}

  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Function<String, @Nullable InetSocketAddress> resolve;
  private final Map<TraceProvider, SpanExporter> exporters = new HashMap<>();
  private volatile @Nullable Thread thread;
  private volatile boolean closed;
  private volatile boolean busy;
  /** Spans dropped because the queue was full; spans sent; spans whose send failed. */
  public final LongAdder dropped = new LongAdder();
  public final LongAdder sent = new LongAdder();
  public final LongAdder failed = new LongAdder();

  /** A tracer resolving collector clusters with {@code resolve} (cluster name → a host, or null). */
  public Tracer(Function<String, @Nullable InetSocketAddress> resolve) {
    this.resolve = resolve;
  }

  private Thread thread() {
    Thread t = thread;
    if (t != null) {
      return t;
    }
    synchronized (this) {
      if (thread == null) {
        thread = Thread.ofPlatform().daemon().name("sluice-tracer").start(this::run);
      }
      return thread;
    }
  }

  /** Queues a finished span for {@code provider}; never blocks. */
  public void submit(SpanData span, TraceProvider provider) {
    if (closed || queued.incrementAndGet() > QUEUE_MAX) {
      queued.decrementAndGet();
      dropped.increment();
      return;
    }
    queue.add(new Pending(span, provider));
    Thread t = thread();
    if (queued.get() >= BATCH) {
      LockSupport.unpark(t);
    }
  }

  /** Waits until every queued span was handed to its exporter (for tests and shutdown). */
  public boolean awaitIdle(long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (queued.get() > 0 || busy) {
      LockSupport.unpark(thread());
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  private void run() {
    while (!closed || queued.get() > 0) {
      if (queued.get() == 0) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FLUSH_MS));
        continue;
      }
      busy = true;
      try {
        Map<TraceProvider, List<SpanData>> batches = new LinkedHashMap<>();
        Pending p;
        int n = 0;
        while (n < BATCH && (p = queue.poll()) != null) {
          queued.decrementAndGet();
          batches.computeIfAbsent(p.provider(), k -> new ArrayList<>()).add(p.span());
          n++;
        }
        batches.forEach(this::export);
      } finally {
        busy = false;
      }
    }
  }

  private void export(TraceProvider provider, List<SpanData> spans) {
    try {
      SpanExporter e = exporters.computeIfAbsent(provider, p -> switch (p) {
        case TraceProvider.Zipkin z -> new ZipkinExporter(z, resolve);
        case TraceProvider.OpenTelemetry o -> new OtlpExporter(o, resolve);
      });
      e.export(spans);
      sent.add(spans.size());
    } catch (Exception | LinkageError ex) {
      failed.add(spans.size());
      LOG.log(Level.FINE, "span export to " + provider + " failed", ex);
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    exporters.values().forEach(SpanExporter::close);
  }

  /** Sends one batch of spans to a collector; runs on the tracer thread only. */
  interface SpanExporter {
    void export(List<SpanData> spans) throws Exception;

    default void close() {}
  }

  static InetSocketAddress address(Function<String, @Nullable InetSocketAddress> resolve, String cluster) {
    InetSocketAddress a = resolve.apply(cluster);
    if (a == null) {
      throw new IllegalStateException("collector cluster " + cluster + ": no host");
    }
    return a;
  }
}
