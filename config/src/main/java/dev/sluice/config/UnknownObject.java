package dev.sluice.config;

import static java.util.Objects.requireNonNull;

/** An object of a kind Sluice does not model: kept so that it can be reported, never acted on. */
public record UnknownObject(String apiVersion, String kind, ObjectMeta meta, Origin origin) {
  public UnknownObject {
    requireNonNull(apiVersion, "apiVersion");
    requireNonNull(kind, "kind");
    requireNonNull(meta, "meta");
    requireNonNull(origin, "origin");
  }
}
