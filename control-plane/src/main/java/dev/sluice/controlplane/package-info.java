/**
 * sluiced, the control plane (istiod's role): a config store and a service registry, fed by a
 * directory of YAML files and the HTTP API, translated to xDS and served over ADS on 15010, with
 * the debug and metrics API on 15014. Start with {@link dev.sluice.controlplane.Sluiced#start}.
 */
@NullMarked
package dev.sluice.controlplane;

import org.jspecify.annotations.NullMarked;
