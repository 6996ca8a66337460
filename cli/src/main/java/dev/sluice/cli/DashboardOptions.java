package dev.sluice.cli;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The dashboard and telemetry options shared by {@code sluice up} and {@code sluice control-plane}. */
final class DashboardOptions {
  @Option(names = "--dashboard-port", defaultValue = "20001", description = "The dashboard's port (default: "
      + "${DEFAULT-VALUE}; -1: none).")
  int dashboardPort;

  @Option(names = "--prometheus", paramLabel = "URL", description = "The dashboard reads this Prometheus instead of "
      + "scraping the proxies itself.")
  @Nullable URI prometheus;

  @Option(names = "--telemetry", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Istio's telemetry filters (metrics, peer metadata, tracing) on every proxy (default: on).")
  boolean telemetry;
}
