/**
 * The control plane's inputs: the {@link dev.sluice.registry.ServiceRegistry} (services and
 * workload instances, fed by a platform) and the {@link dev.sluice.registry.ConfigStore}
 * (validated Istio config). Both publish {@link dev.sluice.registry.ChangeEvent}s that the xDS
 * server debounces into pushes.
 */
@NullMarked
package dev.sluice.registry;

import org.jspecify.annotations.NullMarked;
