/**
 * Sluice's data plane: a Netty L7/L4 proxy configured only through xDS v3 (a bootstrap file's
 * static resources and/or an ADS stream). Start it with {@link dev.sluice.proxy.SluiceProxy#start}.
 */
@org.jspecify.annotations.NullMarked
package dev.sluice.proxy;
