/**
 * The ADS server (state of the world) that keeps every proxy's LDS, RDS, CDS and EDS up to date.
 *
 * <p><b>Why our own server on grpc-java and not java-control-plane's {@code V3DiscoveryServer}.</b>
 * java-control-plane serves snapshots from a cache keyed by node group: it fits a control plane
 * that computes one complete snapshot per group and lets the library do the rest. sluiced needs
 * more control than that API gives: each proxy's config depends on who it is ({@code sourceLabels},
 * {@code exportTo}, gateways, its own inbound ports), so resources are translated per view and
 * the encoded {@code Any}s shared between proxies of the same view ({@link
 * dev.sluice.translate.ViewKey}); an endpoint-only change must go out as EDS alone, reusing the
 * encoded resources of unchanged clusters; and {@code /debug/syncz} and {@code proxy-status} need
 * each proxy's sent and acknowledged version, nonce and NACK message per type, which the cache's
 * callbacks only give as raw requests. The protocol part is small (about 300 lines here, tested
 * against grpc-java's own xDS client and sluice-proxy), so owning it costs less than working
 * around the cache. java-control-plane's {@code api} artifact still supplies every proto.
 *
 * <p>Threading: one push thread runs the debouncer and pushes; requests arrive on gRPC threads;
 * each connection's state is guarded by the connection itself.
 */
@NullMarked
package dev.sluice.xds;

import org.jspecify.annotations.NullMarked;
