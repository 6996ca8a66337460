package dev.sluice.proxy.core.telemetry;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.core.filter.Fraction;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The connection manager's {@code tracing}: propagation of B3 and W3C trace context, one span per
 * request (a server span on INBOUND listeners, a client span otherwise; both with {@code
 * spawn_upstream_span}), sampled at {@code randomSampling} unless the incoming context decides.
 *
 * @param randomSampling {@code random_sampling}; absent means Istio's mesh default of 1 %
 * @param provider the exporter; {@code null} uses the bootstrap's {@code tracing.http}, and
 *     without one spans are propagated but not exported
 * @param customTags literal tags added to every span ({@code custom_tags[].literal})
 */
public record TracingConfig(Fraction randomSampling, boolean spawnUpstreamSpan,
    @Nullable TraceProvider provider, Map<String, String> customTags) {

  /** Istio's default sampling: 1 %. */
  public static final Fraction DEFAULT_SAMPLING = Fraction.percent(1);

  public TracingConfig {
    requireNonNull(randomSampling, "randomSampling");
    customTags = Map.copyOf(customTags);
  }

  /** This config with another provider. */
  public TracingConfig withProvider(@Nullable TraceProvider p) {
    return new TracingConfig(randomSampling, spawnUpstreamSpan, p, customTags);
  }
}
