package dev.sluice.platform.local;

import java.util.concurrent.CompletableFuture;

/**
 * A pod's app container: a built-in sample running in this JVM, a local process, or nothing (an
 * image without a built-in sample and without a command; the pod is then its sidecar only).
 */
sealed interface App extends AutoCloseable permits SampleApp, ProcessApp, App.None {

  /** Completes with the exit code when the app stops by itself (never for in-process samples). */
  CompletableFuture<Integer> exited();

  /** Whether the app accepts connections on all its ports. */
  boolean isReady();

  /** What runs, for the platform's log ({@code sample reviews-v2}, {@code process 4711: python3 ...}). */
  String describe();

  /** Stops the app; idempotent. */
  @Override
  void close();

  /** No app container process (the ingress gateway, or an image Sluice cannot run). */
  record None(String why) implements App {
    @Override
    public CompletableFuture<Integer> exited() {
      return new CompletableFuture<>();
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public String describe() {
      return why;
    }

    @Override
    public void close() {}
  }
}
