/** The istio-tutorial's customer → preference → recommendation chain (the Quarkus variant's texts). Internal: not an API. */
@NullMarked
package dev.sluice.samples.internal.tutorial;

import org.jspecify.annotations.NullMarked;
