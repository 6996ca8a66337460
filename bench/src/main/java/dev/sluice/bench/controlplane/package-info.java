/**
 * The control plane's scale benchmark: 1,000 services × 3 subsets, 10,000 endpoints and 2,000
 * in-process xDS clients against sluiced's ADS server. Run {@link
 * dev.sluice.bench.controlplane.ControlPlaneScale}.
 */
@NullMarked
package dev.sluice.bench.controlplane;

import org.jspecify.annotations.NullMarked;
