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
 *
 * <p>Flow control: a response is handed to gRPC only while its stream is ready ({@code isReady});
 * what is due waits on the connection as one flag per type and is built from the newest state
 * when gRPC's {@code onReady} runs, and at most {@code PILOT_PUSH_THROTTLE} proxies (100) have
 * responses in flight at once ({@link dev.sluice.xds.PushThrottle}). Without both, a mass
 * reconnect over HTTP/2 queued every proxy's encoded configuration in Netty's direct memory at
 * once (more than 2 GB for 2,000 proxies); now it is bounded by the throttle times one response.
 */
@NullMarked
package dev.sluice.xds;

import org.jspecify.annotations.NullMarked;
