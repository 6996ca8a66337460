package dev.sluice.config.istio;

import dev.sluice.config.Immutables;
import dev.sluice.config.istio.Common.ConnectionPool;
import dev.sluice.config.istio.Common.Port;
import dev.sluice.config.istio.Common.PortSelector;
import dev.sluice.config.istio.Common.ServerTls;
import dev.sluice.config.istio.Common.WorkloadSelector;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code networking.istio.io Sidecar}: scopes and shapes a sidecar's listeners. */
public record Sidecar(
    @Nullable WorkloadSelector workloadSelector,
    List<IngressListener> ingress,
    List<EgressListener> egress,
    @Nullable ConnectionPool inboundConnectionPool,
    @Nullable OutboundTrafficPolicy outboundTrafficPolicy) implements Spec {

  public Sidecar {
    ingress = Immutables.list(ingress);
    egress = Immutables.list(egress);
  }

  /** {@code IstioIngressListener}. */
  public record IngressListener(
      @Nullable Port port,
      @Nullable String bind,
      @Nullable String captureMode,
      @Nullable String defaultEndpoint,
      @Nullable ServerTls tls,
      @Nullable ConnectionPool connectionPool) {}

  /** {@code IstioEgressListener}. */
  public record EgressListener(
      @Nullable Port port,
      @Nullable String bind,
      @Nullable String captureMode,
      List<String> hosts) {
    public EgressListener {
      hosts = Immutables.list(hosts);
    }
  }

  /** {@code OutboundTrafficPolicy}. */
  public record OutboundTrafficPolicy(@Nullable String mode, @Nullable EgressProxy egressProxy) {}

  /** The deprecated {@code egressProxy} destination. */
  public record EgressProxy(@Nullable String host, @Nullable String subset, @Nullable PortSelector port) {}
}
