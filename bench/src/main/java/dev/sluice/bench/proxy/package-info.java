/** Benchmarks of the proxy: JMH route selection and the load-run script's helpers. */
@org.jspecify.annotations.NullMarked
package dev.sluice.bench.proxy;
