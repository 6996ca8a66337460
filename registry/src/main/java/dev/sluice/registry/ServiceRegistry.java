package dev.sluice.registry;

import java.util.List;

/**
 * The services and workload instances of the mesh, as a platform reports them. Reads return
 * immutable snapshots; {@link #revision()} grows with every change.
 */
public interface ServiceRegistry {
  /** All services, sorted by hostname. */
  List<MeshService> services();

  /** All workload instances, sorted by key. */
  List<WorkloadInstance> instances();

  /** A number that grows with each change. */
  long revision();

  /** Registers a listener for changes. */
  void addListener(ChangeListener listener);
}
