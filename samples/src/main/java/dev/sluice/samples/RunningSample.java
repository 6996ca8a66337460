package dev.sluice.samples;

import java.util.Map;

/**
 * A started sample: its bound ports and a way to stop it.
 *
 * <pre>{@code
 * try (RunningSample reviews = SampleCatalog.forImage(image).orElseThrow().start(ctx)) {
 *   registry.addEndpoint("127.0.0.1", reviews.port());
 * }
 * }</pre>
 */
public interface RunningSample extends AutoCloseable {

  /** The catalogue name of the sample, e.g. {@code reviews-v2}. */
  String name();

  /** The first bound port (the sample's main port), or -1 for a sample without listeners. */
  int port();

  /** Container port → actually bound port, in the sample's order; empty for {@code sleep}. */
  Map<Integer, Integer> ports();

  /** Stops listening and releases threads and connections; idempotent. */
  @Override
  void close();
}
