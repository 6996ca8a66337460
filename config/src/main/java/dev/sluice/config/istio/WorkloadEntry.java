package dev.sluice.config.istio;

import dev.sluice.config.Immutables;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code networking.istio.io WorkloadEntry}: a workload outside Kubernetes (also ServiceEntry endpoints). */
public record WorkloadEntry(
    @Nullable String address,
    Map<String, Integer> ports,
    Map<String, String> labels,
    @Nullable String network,
    @Nullable String locality,
    @Nullable Integer weight,
    @Nullable String serviceAccount) implements Spec {

  public WorkloadEntry {
    ports = Immutables.map(ports);
    labels = Immutables.map(labels);
  }

  public String addressOrEmpty() {
    return address == null ? "" : address;
  }
}
