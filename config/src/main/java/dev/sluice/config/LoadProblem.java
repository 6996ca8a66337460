package dev.sluice.config;

import static java.util.Objects.requireNonNull;

/**
 * A document that could not become a resource: unreadable YAML, no kind, an unserved version, or a
 * body that does not fit the kind's schema.
 *
 * @param origin where it was found
 * @param kind the kind as written ({@code ""} when unknown)
 * @param namespace the namespace as written ({@code ""} when none)
 * @param name the name as written ({@code ""} when none)
 * @param message what is wrong and what was expected
 */
public record LoadProblem(Origin origin, String kind, String namespace, String name, String message) {
  public LoadProblem {
    requireNonNull(origin, "origin");
    requireNonNull(kind, "kind");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    requireNonNull(message, "message");
  }

  /** {@code Kind namespace/name}, as Istio names resources, or empty when there is no kind. */
  public String friendlyName() {
    if (kind.isEmpty()) {
      return "";
    }
    return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }
}
