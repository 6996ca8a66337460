package dev.sluice.config.analysis;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The immutable world an analyzer sees: at most one resource per (kind, namespace, name), the mesh
 * configuration, Istio's namespace and the current time (for certificate expiry).
 */
public final class Snapshot {
  private final Map<ResourceKind, List<Resource>> byKind;
  private final Map<Resource.Key, Resource> byKey;
  private final MeshConfig meshConfig;
  private final String istioNamespace;
  private final Instant now;

  private Snapshot(List<Resource> resources, MeshConfig meshConfig, String istioNamespace, Instant now) {
    this.meshConfig = requireNonNull(meshConfig, "meshConfig");
    this.istioNamespace = requireNonNull(istioNamespace, "istioNamespace");
    this.now = requireNonNull(now, "now");
    Map<Resource.Key, Resource> keys = new java.util.LinkedHashMap<>();
    for (Resource r : resources) {
      keys.put(r.key(), r); // a later definition of the same object replaces the earlier one
    }
    Map<ResourceKind, List<Resource>> kinds = new EnumMap<>(ResourceKind.class);
    for (Resource r : keys.values()) {
      kinds.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(r);
    }
    kinds.replaceAll((k, v) -> List.copyOf(v));
    this.byKind = kinds;
    this.byKey = new HashMap<>(keys);
  }

  /** A snapshot of {@code resources}; of several with the same kind, namespace and name the last wins. */
  public static Snapshot of(List<Resource> resources, MeshConfig meshConfig, String istioNamespace, Instant now) {
    return new Snapshot(resources, meshConfig, istioNamespace, now);
  }

  /** The resources of a kind, in input order. */
  public List<Resource> all(ResourceKind kind) {
    return byKind.getOrDefault(kind, List.of());
  }

  /** Every resource, grouped by kind. */
  public List<Resource> all() {
    List<Resource> out = new ArrayList<>();
    byKind.values().forEach(out::addAll);
    return out;
  }

  /** The resource of {@code kind} named {@code namespace/name}. */
  public Optional<Resource> find(ResourceKind kind, String namespace, String name) {
    return Optional.ofNullable(byKey.get(new Resource.Key(kind, namespace, name)));
  }

  public boolean exists(ResourceKind kind, String namespace, String name) {
    return byKey.containsKey(new Resource.Key(kind, namespace, name));
  }

  public MeshConfig meshConfig() {
    return meshConfig;
  }

  /** The namespace of Istio's control plane ({@code istio-system}). */
  public String istioNamespace() {
    return istioNamespace;
  }

  /** The time certificates are checked against. */
  public Instant now() {
    return now;
  }
}
