package dev.sluice.registry;

import java.util.Set;

/**
 * What changed in a store or registry. The xDS server merges events while it debounces and then
 * decides between a full push and an endpoint-only (EDS) push.
 */
public sealed interface ChangeEvent {

  /** Istio config changed; {@code keys} are {@code Kind namespace/name}. */
  record ConfigChanged(Set<String> keys) implements ChangeEvent {
    public ConfigChanged {
      keys = Set.copyOf(keys);
    }
  }

  /** Services were added, removed or changed (ports, selectors): a full push. */
  record ServicesChanged(Set<String> hostnames) implements ChangeEvent {
    public ServicesChanged {
      hostnames = Set.copyOf(hostnames);
    }
  }

  /** Only workload instances changed: an endpoint-only push suffices. */
  record InstancesChanged(Set<String> instanceKeys) implements ChangeEvent {
    public InstancesChanged {
      instanceKeys = Set.copyOf(instanceKeys);
    }
  }

  /** Whether the event needs more than an endpoint (EDS) push. */
  default boolean full() {
    return !(this instanceof InstancesChanged);
  }
}
