/** Clusters and their endpoints (from STATIC clusters or ClusterLoadAssignments). */
@org.jspecify.annotations.NullMarked
package dev.sluice.proxy.core.cluster;
