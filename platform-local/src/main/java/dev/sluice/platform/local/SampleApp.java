package dev.sluice.platform.local;

import dev.sluice.samples.RunningSample;
import dev.sluice.samples.Sample;
import dev.sluice.samples.SampleContext;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * A built-in sample in this JVM. In-process rather than a JVM per app: Bookinfo's six apps would
 * cost six JVMs (~50 MB RSS and ~0.5 s start-up each) for code the project ships and trusts; here
 * they share one heap and start in milliseconds. Isolation is what a process gives, and the
 * samples do not need it (their state is per instance, nothing static). Containers with a
 * {@code command} run as processes ({@link ProcessApp}).
 */
final class SampleApp implements App {
  private final RunningSample running;
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();

  private SampleApp(RunningSample running) {
    this.running = running;
  }

  /** Starts {@code sample}; returns once it listens. */
  static SampleApp start(Sample sample, SampleContext ctx) throws IOException {
    return new SampleApp(sample.start(ctx));
  }

  @Override
  public CompletableFuture<Integer> exited() {
    return exited;
  }

  @Override
  public boolean isReady() {
    return true;
  }

  @Override
  public String describe() {
    return "sample " + running.name() + " " + running.ports();
  }

  @Override
  public void close() {
    running.close();
  }
}
