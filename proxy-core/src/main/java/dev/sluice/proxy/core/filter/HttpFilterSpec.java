package dev.sluice.proxy.core.filter;

import static java.util.Objects.requireNonNull;

/**
 * An HTTP filter of a connection manager that the proxy runs, in the order configured; the router
 * is implicit and always last. Filters accepted but not run (Istio's stats and metadata exchange,
 * gRPC stats, ...) are not listed.
 */
public sealed interface HttpFilterSpec {
  /** The filter's name in the connection manager (the key of per-route configs). */
  String name();

  /** {@code envoy.filters.http.fault} with its listener-level policy. */
  record Fault(String name, FaultPolicy policy) implements HttpFilterSpec {
    public Fault {
      requireNonNull(name, "name");
      requireNonNull(policy, "policy");
    }
  }

  /** {@code envoy.filters.http.cors}: policies come from routes and virtual hosts. */
  record Cors(String name) implements HttpFilterSpec {
    public Cors {
      requireNonNull(name, "name");
    }
  }
}
