package dev.sluice.config;

import dev.sluice.config.istio.AuthorizationPolicy;
import dev.sluice.config.istio.DestinationRule;
import dev.sluice.config.istio.Gateway;
import dev.sluice.config.istio.PeerAuthentication;
import dev.sluice.config.istio.RequestAuthentication;
import dev.sluice.config.istio.ServiceEntry;
import dev.sluice.config.istio.Sidecar;
import dev.sluice.config.istio.Spec;
import dev.sluice.config.istio.VirtualService;
import dev.sluice.config.istio.WorkloadEntry;
import dev.sluice.config.kube.Kube;
import java.util.List;
import java.util.Optional;

/** The kinds Sluice models, with the API group and the versions served for each. */
public enum ResourceKind {
  VIRTUAL_SERVICE("networking.istio.io", "VirtualService", VirtualService.class, true, true, ISTIO_NET.V),
  DESTINATION_RULE("networking.istio.io", "DestinationRule", DestinationRule.class, true, true, ISTIO_NET.V),
  GATEWAY("networking.istio.io", "Gateway", Gateway.class, true, true, ISTIO_NET.V),
  SERVICE_ENTRY("networking.istio.io", "ServiceEntry", ServiceEntry.class, true, true, ISTIO_NET.V),
  SIDECAR("networking.istio.io", "Sidecar", Sidecar.class, true, true, ISTIO_NET.V),
  WORKLOAD_ENTRY("networking.istio.io", "WorkloadEntry", WorkloadEntry.class, true, true, ISTIO_NET.V),
  PEER_AUTHENTICATION("security.istio.io", "PeerAuthentication", PeerAuthentication.class, true, true, ISTIO_SEC.V),
  AUTHORIZATION_POLICY("security.istio.io", "AuthorizationPolicy", AuthorizationPolicy.class, true, true, ISTIO_SEC.V),
  REQUEST_AUTHENTICATION("security.istio.io", "RequestAuthentication", RequestAuthentication.class, true, true,
      ISTIO_SEC.V),
  NAMESPACE("", "Namespace", Kube.Namespace.class, false, false, List.of("v1")),
  SERVICE("", "Service", Kube.Service.class, false, true, List.of("v1")),
  POD("", "Pod", Kube.Pod.class, false, true, List.of("v1")),
  SERVICE_ACCOUNT("", "ServiceAccount", Kube.ServiceAccount.class, false, true, List.of("v1")),
  SECRET("", "Secret", Kube.Secret.class, false, true, List.of("v1")),
  CONFIG_MAP("", "ConfigMap", Kube.ConfigMap.class, false, true, List.of("v1")),
  NODE("", "Node", Kube.Node.class, false, false, List.of("v1")),
  // extensions/v1beta1 and apps/v1beta1 are long gone from Kubernetes, but older tutorials still use them.
  DEPLOYMENT("apps", "Deployment", Kube.Deployment.class, false, true, List.of("v1", "v1beta1", "v1beta2"),
      "extensions/v1beta1"),
  KUBE_GATEWAY("gateway.networking.k8s.io", "Gateway", Kube.KubeGateway.class, false, true,
      List.of("v1", "v1beta1"));

  private final String group;
  private final String kind;
  private final Class<? extends Spec> specClass;
  private final boolean istio;
  private final boolean namespaced;
  private final List<String> versions;
  private final List<String> legacyApiVersions;

  ResourceKind(String group, String kind, Class<? extends Spec> specClass, boolean istio, boolean namespaced,
      List<String> versions, String... legacyApiVersions) {
    this.group = group;
    this.kind = kind;
    this.specClass = specClass;
    this.istio = istio;
    this.namespaced = namespaced;
    this.versions = versions;
    this.legacyApiVersions = List.of(legacyApiVersions);
  }

  /** The API group ({@code ""} for the Kubernetes core group). */
  public String group() {
    return group;
  }

  /** The kind as written in YAML, e.g. {@code VirtualService}. */
  public String kind() {
    return kind;
  }

  /** The record type that holds this kind's body. */
  public Class<? extends Spec> specClass() {
    return specClass;
  }

  /** Istio kinds are strict: their body is {@code spec}, and unknown fields are errors. */
  public boolean isIstio() {
    return istio;
  }

  public boolean isNamespaced() {
    return namespaced;
  }

  /** Served versions, newest first. */
  public List<String> versions() {
    return versions;
  }

  /** {@code group/version} of the newest served version. */
  public String preferredApiVersion() {
    return group.isEmpty() ? versions.getFirst() : group + "/" + versions.getFirst();
  }

  /** Whether {@code apiVersion} is served for this kind. */
  public boolean serves(String apiVersion) {
    if (legacyApiVersions.contains(apiVersion)) {
      return true;
    }
    int slash = apiVersion.lastIndexOf('/');
    String g = slash < 0 ? "" : apiVersion.substring(0, slash);
    return g.equals(group) && versions.contains(apiVersion.substring(slash + 1));
  }

  /** Whether {@code apiVersion}'s group is this kind's group (regardless of version). */
  boolean sameGroup(String apiVersion) {
    int slash = apiVersion.lastIndexOf('/');
    return (slash < 0 ? "" : apiVersion.substring(0, slash)).equals(group)
        || legacyApiVersions.contains(apiVersion);
  }

  /** The kind served at {@code apiVersion} with this {@code kind} name, if any. */
  public static Optional<ResourceKind> find(String apiVersion, String kind) {
    for (ResourceKind k : values()) {
      if (k.kind.equals(kind) && k.serves(apiVersion)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** A modelled kind of the same group and name but another version ({@code no matches} errors). */
  static Optional<ResourceKind> findAnyVersion(String apiVersion, String kind) {
    for (ResourceKind k : values()) {
      if (k.kind.equals(kind) && k.sameGroup(apiVersion)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** Looks a kind up by name (case-insensitive), for the CLI; Istio kinds win over Gateway API. */
  public static Optional<ResourceKind> byName(String name) {
    for (ResourceKind k : values()) {
      if (k.kind.equalsIgnoreCase(name)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  private static final class ISTIO_NET {
    static final List<String> V = List.of("v1", "v1beta1", "v1alpha3");
  }

  private static final class ISTIO_SEC {
    static final List<String> V = List.of("v1", "v1beta1");
  }
}
