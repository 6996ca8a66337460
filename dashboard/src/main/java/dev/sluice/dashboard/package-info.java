/**
 * Sluice's dashboard: a Kiali-like traffic graph over Istio's standard metrics, read either from a
 * real Prometheus ({@link dev.sluice.dashboard.PrometheusSource}) or from sluiced's own bounded
 * scraper ({@link dev.sluice.dashboard.EmbeddedScraper}), plus the mesh's Istio resources with
 * {@code analyze} findings. Independent of the control plane: it sees the mesh only through
 * {@link dev.sluice.dashboard.MetricsSource} and {@link dev.sluice.dashboard.ConfigView}.
 *
 * <pre>{@code
 * DashboardServer server = DashboardServer.start(20001, new EmbeddedScraper(targets), ConfigView.analyzing(store::all));
 * }</pre>
 */
@NullMarked
package dev.sluice.dashboard;

import org.jspecify.annotations.NullMarked;
