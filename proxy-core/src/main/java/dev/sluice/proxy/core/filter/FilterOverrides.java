package dev.sluice.proxy.core.filter;

import org.jspecify.annotations.Nullable;

/**
 * Per-route or per-virtual-host filter settings ({@code typed_per_filter_config}, and the legacy
 * {@code cors} field): parsed once, read by the filters per request.
 *
 * @param fault replaces the connection manager's fault policy for the route
 * @param cors the CORS policy at this level
 */
public record FilterOverrides(@Nullable FaultPolicy fault, @Nullable CorsPolicy cors) {
  public static final FilterOverrides NONE = new FilterOverrides(null, null);

  /** Whether nothing is overridden. */
  public boolean isEmpty() {
    return fault == null && cors == null;
  }
}
