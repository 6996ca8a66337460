package dev.sluice.config.istio;

import dev.sluice.config.Immutables;
import dev.sluice.config.istio.Common.LabelSelector;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code security.istio.io PeerAuthentication}: the mTLS mode workloads accept. */
public record PeerAuthentication(
    @Nullable LabelSelector selector,
    @Nullable MutualTls mtls,
    @Nullable Map<String, MutualTls> portLevelMtls) implements Spec {

  public PeerAuthentication {
    portLevelMtls = Immutables.nullableMap(portLevelMtls);
  }

  /** {@code PeerAuthentication.MutualTLS}. */
  public record MutualTls(@Nullable String mode) {}
}
