package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.istio.Spec;
import dev.sluice.config.yaml.YamlDocument;
import org.jspecify.annotations.Nullable;

/**
 * One configuration object: its kind, metadata, typed body and where it came from.
 *
 * <pre>{@code
 * if (resource.spec() instanceof VirtualService vs) { ... vs.http() ... }
 * }</pre>
 *
 * @param kind the modelled kind
 * @param apiVersion as written in the YAML
 * @param meta name, namespace, labels, annotations
 * @param spec the typed body
 * @param origin file and line of the object
 * @param raw the object as read (for printing it back); never used for decisions
 * @param source the document it came from, for field lines ({@code null} when built in code)
 * @param pathPrefix prefix of this object's fields in {@code source} ({@code items[2].} inside a List)
 */
public record Resource(
    ResourceKind kind,
    String apiVersion,
    ObjectMeta meta,
    Spec spec,
    Origin origin,
    @Nullable JsonNode raw,
    @Nullable YamlDocument source,
    String pathPrefix) {

  public Resource {
    requireNonNull(kind, "kind");
    requireNonNull(apiVersion, "apiVersion");
    requireNonNull(meta, "meta");
    requireNonNull(spec, "spec");
    requireNonNull(origin, "origin");
    requireNonNull(pathPrefix, "pathPrefix");
    if (!kind.specClass().isInstance(spec)) {
      throw new IllegalArgumentException("spec: " + spec.getClass().getSimpleName() + " (expected: "
          + kind.specClass().getSimpleName() + ")");
    }
  }

  /** A resource built in code (tests, the local platform). */
  public static Resource of(ResourceKind kind, String name, String namespace, Spec spec) {
    return new Resource(kind, kind.preferredApiVersion(), ObjectMeta.of(name, namespace), spec, Origin.NONE,
        null, null, "");
  }

  public String name() {
    return meta.name();
  }

  public String namespace() {
    return meta.namespace();
  }

  /** Istio's friendly name: {@code Kind namespace/name}, or {@code Kind name} without a namespace. */
  public String friendlyName() {
    return kind.kind() + " " + (meta.namespace().isEmpty() ? meta.name() : meta.namespace() + "/" + meta.name());
  }

  /** Where a field (such as {@code spec.http[0].route}) was written, or the object's origin. */
  public Origin originOf(String fieldPath) {
    return source == null ? origin : source.originOf(pathPrefix + fieldPath);
  }

  /** A copy placed in {@code namespace} when it has none (as kubectl does with {@code -n}). */
  public Resource withDefaultNamespace(String namespace) {
    if (!kind.isNamespaced() || !meta.namespace().isEmpty()) {
      return this;
    }
    return new Resource(kind, apiVersion, meta.withNamespace(namespace), spec, origin, raw, source, pathPrefix);
  }

  /** The key that identifies the object in a store: kind, namespace and name. */
  public Key key() {
    return new Key(kind, meta.namespace(), meta.name());
  }

  /** Identity of a resource in a store. */
  public record Key(ResourceKind kind, String namespace, String name) {
    public Key {
      requireNonNull(kind, "kind");
      requireNonNull(namespace, "namespace");
      requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return kind.kind() + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }
  }
}
