package dev.sluice.config.istio;

import dev.sluice.config.Immutables;
import dev.sluice.config.istio.Common.Port;
import dev.sluice.config.istio.Common.WorkloadSelector;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code networking.istio.io ServiceEntry}: adds hosts to the mesh's service registry. */
public record ServiceEntry(
    List<String> hosts,
    List<String> addresses,
    List<Port> ports,
    @Nullable String location,
    @Nullable String resolution,
    List<WorkloadEntry> endpoints,
    @Nullable WorkloadSelector workloadSelector,
    List<String> exportTo,
    List<String> subjectAltNames) implements Spec {

  public ServiceEntry {
    hosts = Immutables.list(hosts);
    addresses = Immutables.list(addresses);
    ports = Immutables.list(ports);
    endpoints = Immutables.list(endpoints);
    exportTo = Immutables.list(exportTo);
    subjectAltNames = Immutables.list(subjectAltNames);
  }

  /** The resolution, or {@code NONE} (the proto default) when unset. */
  public String resolutionOrDefault() {
    return resolution == null || resolution.isEmpty() ? "NONE" : resolution;
  }
}
