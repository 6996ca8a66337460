package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The metadata Sluice keeps: name, namespace ({@code ""} when the YAML gave none), labels and
 * annotations.
 */
public record ObjectMeta(String name, String namespace, Map<String, String> labels,
    Map<String, String> annotations) {
  public ObjectMeta {
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
    labels = Immutables.map(labels);
    annotations = Immutables.map(annotations);
  }

  public static ObjectMeta of(String name, String namespace) {
    return new ObjectMeta(name, namespace, Map.of(), Map.of());
  }

  public ObjectMeta withNamespace(String ns) {
    return new ObjectMeta(name, ns, labels, annotations);
  }
}
