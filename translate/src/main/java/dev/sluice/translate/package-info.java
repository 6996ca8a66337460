/**
 * Translation from an immutable {@link dev.sluice.translate.MeshSnapshot} and one {@link
 * dev.sluice.translate.ProxyNode} to the Envoy v3 resources that proxy needs (LDS, RDS, CDS, EDS),
 * named as istiod names them ({@code outbound|9080|v1|reviews.default.svc.cluster.local}, route
 * configurations {@code 9080}, virtual hosts {@code reviews.default.svc.cluster.local:9080},
 * listeners {@code 0.0.0.0_9080}, {@code virtualInbound}, {@code virtualOutbound}).
 *
 * <p>Pure: no clocks, threads or I/O. The same inputs always give the same protos, which is what
 * the golden-file tests and the xDS server's per-view cache rely on. Start at {@link
 * dev.sluice.translate.XdsTranslator}.
 */
@NullMarked
package dev.sluice.translate;

import org.jspecify.annotations.NullMarked;
