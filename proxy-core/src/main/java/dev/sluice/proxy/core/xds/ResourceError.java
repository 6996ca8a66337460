package dev.sluice.proxy.core.xds;

import static java.util.Objects.requireNonNull;

/**
 * Why one xDS resource was rejected.
 *
 * @param kind {@code Listener}, {@code RouteConfiguration}, {@code Cluster} or {@code
 *     ClusterLoadAssignment}
 * @param name the resource name ({@code ""} when it could not be read)
 * @param message the offending field and what was expected
 */
public record ResourceError(String kind, String name, String message) {
  public ResourceError {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    requireNonNull(message, "message");
  }

  /** One line for a NACK's {@code error_detail} and for logs. */
  @Override
  public String toString() {
    return kind + " " + name + ": " + message;
  }
}
