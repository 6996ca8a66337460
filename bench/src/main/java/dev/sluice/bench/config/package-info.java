/** Benchmarks of the config module: loading, validating and analyzing large configurations. */
@NullMarked
package dev.sluice.bench.config;

import org.jspecify.annotations.NullMarked;
