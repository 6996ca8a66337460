/** Pure proxy model: xDS v3 resources turned into immutable records, route matching and load balancing. No I/O, no threads, no clocks. */
@org.jspecify.annotations.NullMarked
package dev.sluice.proxy.core;
