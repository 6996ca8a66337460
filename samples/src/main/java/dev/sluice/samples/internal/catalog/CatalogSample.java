package dev.sluice.samples.internal.catalog;

import static java.util.Objects.requireNonNull;

import dev.sluice.samples.RunningSample;
import dev.sluice.samples.Sample;
import dev.sluice.samples.SampleContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A catalogue entry: the image's baked-in env, how its ports follow from the context, and how to
 * start it. {@link #start} overlays the container env on the image env first.
 */
public record CatalogSample(
    String name,
    Map<String, String> imageEnv,
    Function<SampleContext, List<Integer>> ports,
    Launcher launcher) implements Sample {

  /** Starts one instance with the merged context. */
  @FunctionalInterface
  public interface Launcher {
    /** Starts the sample named {@code name}. */
    RunningSample start(String name, SampleContext ctx) throws IOException;
  }

  /** Validates and copies. */
  public CatalogSample {
    requireNonNull(name, "name");
    imageEnv = Map.copyOf(requireNonNull(imageEnv, "imageEnv"));
    requireNonNull(ports, "ports");
    requireNonNull(launcher, "launcher");
  }

  /** An entry with fixed ports. */
  public static CatalogSample fixed(String name, Map<String, String> imageEnv, List<Integer> ports,
      Launcher launcher) {
    List<Integer> copy = List.copyOf(ports);
    return new CatalogSample(name, imageEnv, ctx -> copy, launcher);
  }

  @Override
  public List<Integer> containerPorts(SampleContext ctx) {
    return List.copyOf(ports.apply(ctx.withEnvDefaults(imageEnv)));
  }

  @Override
  public RunningSample start(SampleContext ctx) throws IOException {
    return launcher.start(name, ctx.withEnvDefaults(imageEnv));
  }

  @Override
  public String toString() {
    return "Sample[" + name + "]";
  }
}
