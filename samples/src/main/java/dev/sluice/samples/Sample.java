package dev.sluice.samples;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One of the built-in sample applications, as a container image would run it.
 *
 * <p>Obtain one from {@link SampleCatalog}; it is immutable and can be started many times (one
 * instance per pod). The environment a started sample sees is {@link #imageEnv()} (what the
 * original image bakes in with {@code ENV}, e.g. {@code STAR_COLOR=red} for reviews-v3)
 * overlaid by {@link SampleContext#env()}, as Kubernetes overlays a container's {@code env} on
 * the image's.
 */
public interface Sample {

  /** The catalogue name, e.g. {@code productpage}, {@code reviews-v3}, {@code httpbin}. */
  String name();

  /** The environment baked into the original image; a container's env overrides it. */
  Map<String, String> imageEnv();

  /**
   * The container ports the sample will listen on with this context's command, args and env
   * (tcp-echo's come from its first argument, go-httpbin's from {@code PORT}), so that the
   * platform can map every one of them before {@link #start}; empty for {@code sleep}.
   */
  List<Integer> containerPorts(SampleContext ctx);

  /**
   * Starts the sample: it binds {@link SampleContext#bindAddress()} on each container port,
   * mapped through {@link SampleContext#listenPort(int)}, and returns once it is listening.
   *
   * @throws IOException when a port cannot be bound
   */
  RunningSample start(SampleContext ctx) throws IOException;
}
