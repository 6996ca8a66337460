package dev.sluice.proxy.core.cluster;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The endpoints of one cluster (EDS resource). */
public record ClusterLoadAssignment(String clusterName, List<Endpoint> endpoints) {
  public ClusterLoadAssignment {
    requireNonNull(clusterName, "clusterName");
    endpoints = List.copyOf(endpoints);
  }
}
