package dev.sluice.config.kube;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.sluice.config.Immutables;
import dev.sluice.config.istio.Spec;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The parts of Kubernetes objects that a mesh reads. Fields Sluice does not use are ignored (the
 * Kubernetes schema is not ours to enforce), unlike Istio kinds, whose unknown fields are errors.
 */
public final class Kube {
  private Kube() {}

  /** {@code v1 Namespace} (labels live in metadata). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Namespace() implements Spec {}

  /** {@code v1 ServiceAccount}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ServiceAccount() implements Spec {}

  /** {@code v1 Node} (labels carry topology). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Node() implements Spec {}

  /** {@code v1 Service}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Service(@Nullable ServiceSpec spec) implements Spec {
    public ServiceSpec specOrEmpty() {
      return spec == null ? new ServiceSpec(null, null, null, null, null) : spec;
    }
  }

  /** {@code ServiceSpec}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ServiceSpec(@Nullable String type, @Nullable Map<String, String> selector,
      @Nullable List<ServicePort> ports, @Nullable String clusterIP, @Nullable String externalName) {
    public ServiceSpec {
      selector = Immutables.nullableMap(selector);
      ports = Immutables.list(ports);
    }

    public String typeOrDefault() {
      return type == null || type.isEmpty() ? "ClusterIP" : type;
    }
  }

  /** {@code ServicePort}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ServicePort(@Nullable String name, @Nullable Integer port, @Nullable IntOrString targetPort,
      @Nullable String protocol, @Nullable String appProtocol, @Nullable Integer nodePort) {
    public int portOrZero() {
      return port == null ? 0 : port;
    }

    public String nameOrEmpty() {
      return name == null ? "" : name;
    }

    public String protocolOrDefault() {
      return protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }

    /** The target port, which defaults to the service port. */
    public IntOrString targetPortOrDefault() {
      return targetPort == null ? IntOrString.of(portOrZero()) : targetPort;
    }
  }

  /** {@code apps/v1 Deployment}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Deployment(@Nullable DeploymentSpec spec) implements Spec {}

  /** {@code DeploymentSpec}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record DeploymentSpec(@Nullable Integer replicas, @Nullable LabelSelector selector,
      @Nullable PodTemplate template) {
    public int replicasOrDefault() {
      return replicas == null ? 1 : replicas;
    }
  }

  /** {@code LabelSelector} (only {@code matchLabels}). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LabelSelector(Map<String, String> matchLabels) {
    public LabelSelector {
      matchLabels = Immutables.map(matchLabels);
    }
  }

  /** {@code PodTemplateSpec}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PodTemplate(@Nullable TemplateMeta metadata, @Nullable PodSpec spec) {}

  /** The labels and annotations of a pod template. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record TemplateMeta(Map<String, String> labels, Map<String, String> annotations) {
    public TemplateMeta {
      labels = Immutables.map(labels);
      annotations = Immutables.map(annotations);
    }
  }

  /** {@code v1 Pod}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Pod(@Nullable PodSpec spec) implements Spec {}

  /** {@code PodSpec}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PodSpec(@Nullable String serviceAccountName, @Nullable String serviceAccount,
      @Nullable String nodeName, List<Container> containers, List<Container> initContainers) {
    public PodSpec {
      containers = Immutables.list(containers);
      initContainers = Immutables.list(initContainers);
    }
  }

  /** {@code Container}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Container(@Nullable String name, @Nullable String image, List<String> command,
      List<String> args, List<EnvVar> env, List<ContainerPort> ports) {
    public Container {
      command = Immutables.list(command);
      args = Immutables.list(args);
      env = Immutables.list(env);
      ports = Immutables.list(ports);
    }
  }

  /** {@code EnvVar} (literal values only). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record EnvVar(@Nullable String name, @Nullable String value) {}

  /** {@code ContainerPort}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ContainerPort(@Nullable String name, @Nullable Integer containerPort, @Nullable String protocol) {}

  /** {@code v1 Secret}; {@code data} values are base64. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Secret(@Nullable String type, Map<String, String> data, Map<String, String> stringData)
      implements Spec {
    public Secret {
      data = Immutables.map(data);
      stringData = Immutables.map(stringData);
    }
  }

  /** {@code v1 ConfigMap}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ConfigMap(Map<String, String> data) implements Spec {
    public ConfigMap {
      data = Immutables.map(data);
    }
  }

  /** {@code gateway.networking.k8s.io Gateway} (Gateway API), as far as analyzers need it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record KubeGateway(@Nullable KubeGatewaySpec spec) implements Spec {}

  /** {@code GatewaySpec}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record KubeGatewaySpec(@Nullable String gatewayClassName, List<Listener> listeners) {
    public KubeGatewaySpec {
      listeners = Immutables.list(listeners);
    }
  }

  /** {@code Listener}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Listener(@Nullable String name, @Nullable String hostname, @Nullable Integer port,
      @Nullable String protocol) {}
}
