package dev.sluice.samples;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Everything a sample needs from the platform to run as one pod's app container.
 *
 * <p>On the local platform all pods share one host, so the platform maps each container port to
 * a port of its own choosing ({@code 0}: any free port; read the bound one from {@link
 * RunningSample#ports()}); a container port without a mapping binds as itself. Outbound calls of
 * HTTP samples go through {@code http_proxy}/{@code HTTP_PROXY} from {@link #env()} (the pod's
 * sidecar), addressed by service name so that the sidecar routes by host.
 *
 * <pre>{@code
 * SampleContext ctx = SampleContext.builder(PodInfo.named("reviews-v2-7d9c5-abcde"))
 *     .port(9080, 0)
 *     .env("http_proxy", "http://127.0.0.1:15001")
 *     .build();
 * }</pre>
 *
 * @param bindAddress the address to listen on, e.g. {@code 127.0.0.1}
 * @param ports container port → listen port (0 = any free port)
 * @param env the container's environment (plus {@code HOSTNAME}, {@code http_proxy}); the
 *     image's defaults are added by {@link Sample#start}
 * @param command the container's {@code command} (empty: the image's entrypoint)
 * @param args the container's {@code args}
 * @param pod the pod's metadata
 * @param log receives the app's stdout lines (access logs, start-up messages)
 */
public record SampleContext(
    String bindAddress,
    Map<Integer, Integer> ports,
    Map<String, String> env,
    List<String> command,
    List<String> args,
    PodInfo pod,
    Consumer<String> log) {

  /** Validates and copies. */
  public SampleContext {
    requireNonNull(bindAddress, "bindAddress");
    ports = Map.copyOf(requireNonNull(ports, "ports"));
    env = Map.copyOf(requireNonNull(env, "env"));
    command = List.copyOf(requireNonNull(command, "command"));
    args = List.copyOf(requireNonNull(args, "args"));
    requireNonNull(pod, "pod");
    requireNonNull(log, "log");
    ports.forEach((container, listen) -> {
      if (container < 1 || container > 65535 || listen < 0 || listen > 65535) {
        throw new IllegalArgumentException(
            "ports: " + container + " → " + listen + " (expected: 1..65535 → 0..65535)");
      }
    });
  }

  /** A builder for a pod's context: loopback, no ports mapped, empty env, log to stdout. */
  public static Builder builder(PodInfo pod) {
    return new Builder(pod);
  }

  /** The value of an environment variable, or null. */
  public @Nullable String env(String name) {
    return env.get(name);
  }

  /** The value of an environment variable, or {@code fallback} when unset. */
  public String env(String name, String fallback) {
    return env.getOrDefault(name, fallback);
  }

  /** {@code HOSTNAME} from the env, else the pod name (what a container sees as its host name). */
  public String hostname() {
    return env.getOrDefault("HOSTNAME", pod.name());
  }

  /** The port to bind for {@code containerPort}: its mapping, or the container port itself. */
  public int listenPort(int containerPort) {
    return ports.getOrDefault(containerPort, containerPort);
  }

  /** This context with {@code defaults} under its env (the env wins), as an image's ENV is. */
  public SampleContext withEnvDefaults(Map<String, String> defaults) {
    Map<String, String> merged = new LinkedHashMap<>(defaults);
    merged.putAll(env);
    return new SampleContext(bindAddress, ports, merged, command, args, pod, log);
  }

  /** Collects a {@link SampleContext}; {@link #build()} validates it. */
  public static final class Builder {
    private final PodInfo pod;
    private String bindAddress = "127.0.0.1";
    private final Map<Integer, Integer> ports = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> command = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private Consumer<String> log = System.out::println;

    private Builder(PodInfo pod) {
      this.pod = requireNonNull(pod, "pod");
    }

    /** The address to listen on (default {@code 127.0.0.1}). */
    public Builder bindAddress(String address) {
      this.bindAddress = requireNonNull(address, "address");
      return this;
    }

    /** Maps a container port to a listen port (0: any free port). */
    public Builder port(int containerPort, int listenPort) {
      ports.put(containerPort, listenPort);
      return this;
    }

    /** Sets one environment variable. */
    public Builder env(String name, String value) {
      env.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
      return this;
    }

    /** Sets environment variables. */
    public Builder env(Map<String, String> values) {
      values.forEach(this::env);
      return this;
    }

    /** The container's command. */
    public Builder command(List<String> values) {
      command.clear();
      command.addAll(values);
      return this;
    }

    /** The container's args. */
    public Builder args(List<String> values) {
      args.clear();
      args.addAll(values);
      return this;
    }

    /** Where the app's stdout lines go (default: {@code System.out}). */
    public Builder log(Consumer<String> sink) {
      this.log = requireNonNull(sink, "sink");
      return this;
    }

    /** The context. */
    public SampleContext build() {
      return new SampleContext(bindAddress, ports, env, command, args, pod, log);
    }
  }
}
