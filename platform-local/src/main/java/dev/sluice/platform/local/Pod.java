package dev.sluice.platform.local;

import dev.sluice.config.kube.Kube;
import dev.sluice.proxy.SluiceProxy;
import dev.sluice.registry.WorkloadInstance;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One local workload instance: its identity (name, labels, service account), its ports on
 * 127.0.0.1 (the sidecar's outbound {@code http_proxy} port; per container port the app's port and
 * the port published in the registry, where the sidecar's inbound listener is), its sidecar and
 * its app. Mutable state is written by {@link PodRunner} only.
 *
 * @param owner the Deployment that owns it, or null for a bare Pod
 */
final class Pod {
  /** Kubernetes' pod phases, plus what {@code kubectl get pods} shows for a crash loop. */
  enum Status {
    PENDING("Pending"),
    CONTAINER_CREATING("ContainerCreating"),
    RUNNING("Running"),
    ERROR("Error"),
    CRASH_LOOP("CrashLoopBackOff"),
    TERMINATING("Terminating");

    final String text;

    Status(String text) {
      this.text = text;
    }
  }

  final String name;
  final String namespace;
  final Map<String, String> labels;
  /** The pod template's annotations ({@code prometheus.io/*} for the agent's metrics merging). */
  final Map<String, String> annotations;
  final String serviceAccount;
  final @Nullable String owner;
  final String templateHash;
  final Kube.@Nullable Container container;
  final boolean router;
  final Instant created = Instant.now();
  final LogBuffer log = new LogBuffer();

  // Set once by PodRunner before anything starts.
  int outboundPort;
  Map<Integer, Integer> appPorts = Map.of();
  Map<Integer, Integer> publishedPorts = Map.of();
  Map<String, Integer> namedPorts = Map.of();
  Map<String, String> env = Map.of();

  volatile @Nullable SluiceProxy sidecar;
  /** The pod's agent port (Istio's 15020: merged metrics, readiness). */
  volatile @Nullable AgentEndpoint agent;
  volatile @Nullable App app;
  volatile Status status = Status.PENDING;
  volatile boolean ready;
  volatile boolean stopping;
  volatile int restarts;
  volatile @Nullable Instant lastStart;
  volatile String message = "";

  Pod(String name, String namespace, Map<String, String> labels, Map<String, String> annotations,
      String serviceAccount, @Nullable String owner, String templateHash, Kube.@Nullable Container container,
      boolean router) {
    this.name = name;
    this.namespace = namespace;
    this.labels = Map.copyOf(labels);
    this.annotations = Map.copyOf(annotations);
    this.serviceAccount = serviceAccount;
    this.owner = owner;
    this.templateHash = templateHash;
    this.container = container;
    this.router = router;
  }

  String key() {
    return namespace + "/" + name;
  }

  /** The registry's view of the pod: on 127.0.0.1, container ports published at the sidecar. */
  WorkloadInstance instance(boolean healthy) {
    return new WorkloadInstance(name, namespace, "127.0.0.1", labels, serviceAccount, namedPorts, healthy, List.of(),
        publishedPorts);
  }

  /** {@code 2/2} (app and sidecar), as {@code kubectl get pods} shows an injected pod. */
  String readyColumn() {
    SluiceProxy s = sidecar;
    App a = app;
    int ready = (s != null && s.isReady() ? 1 : 0) + (router ? 0 : a != null && this.ready ? 1 : 0);
    return ready + "/" + (router ? 1 : 2);
  }

  /** What the pod's processes see: the container's env, HOSTNAME and the sidecar as HTTP proxy. */
  static Map<String, String> environment(Kube.@Nullable Container c, String podName, int outboundPort) {
    Map<String, String> env = new LinkedHashMap<>();
    if (c != null) {
      for (Kube.EnvVar e : c.env()) {
        if (e.name() != null) {
          env.put(e.name(), e.value() == null ? "" : e.value());
        }
      }
    }
    env.put("HOSTNAME", podName);
    String proxy = "http://127.0.0.1:" + outboundPort;
    env.put("http_proxy", proxy);
    env.put("HTTP_PROXY", proxy);
    return env;
  }

  /** The listeners the sidecar must have bound before the pod is ready. */
  Set<String> inboundListeners(Set<Integer> servedContainerPorts) {
    Set<String> out = new java.util.TreeSet<>();
    for (int p : servedContainerPorts) {
      Integer published = publishedPorts.get(p);
      if (published != null) {
        out.add("127.0.0.1_" + published);
      }
    }
    return out;
  }
}
