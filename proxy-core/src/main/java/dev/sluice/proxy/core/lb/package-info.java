/** Load balancers over a cluster's endpoints: round robin, least request (P2C), random, ring hash and Maglev. */
@org.jspecify.annotations.NullMarked
package dev.sluice.proxy.core.lb;
