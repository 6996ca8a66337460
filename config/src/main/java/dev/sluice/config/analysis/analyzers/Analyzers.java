package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.Analyzer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every analyzer Sluice implements, under Istio's names ({@code istioctl analyze -L}). */
public final class Analyzers {
  private static final List<Analyzer> ALL = build();

  private Analyzers() {}

  private static List<Analyzer> build() {
    List<Analyzer> out = new ArrayList<>(List.of(
        new AuthorizationPoliciesAnalyzer(),
        new MultiServiceAnalyzer(),
        new CaCertificateAnalyzer(),
        new SubsetSelectPodAnalyzer(),
        new DeprecationAnalyzer(),
        new IngressGatewayPortAnalyzer(),
        new GatewayCertificateAnalyzer(),
        new GatewaySecretAnalyzer(),
        new ConflictingGatewayAnalyzer(),
        new PortNameAnalyzer(),
        new SidecarSelectorAnalyzer(),
        new ConflictingMeshGatewayHostsAnalyzer(),
        new DestinationHostAnalyzer(),
        new DestinationRuleRefAnalyzer(),
        new VsGatewayAnalyzer(),
        new JwtClaimRouteAnalyzer(),
        new ServiceEntryAddressesAnalyzer(),
        new ConflictingServiceEntryProtocolAnalyzer()));
    for (ResourceKind k : ResourceKind.values()) {
      if (k.isIstio()) {
        out.add(new SchemaValidationAnalyzer(k));
      }
    }
    return List.copyOf(out);
  }

  /** All analyzers, in Istio's registration order. */
  public static List<Analyzer> all() {
    return ALL;
  }

  /** The analyzer with Istio's name {@code name} ({@code virtualservice.DestinationHostAnalyzer}). */
  public static Optional<Analyzer> byName(String name) {
    return ALL.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /**
   * The analyzers named (istioctl's repeatable {@code --analyzer}); all of them when the list is
   * empty or names none that exists, as istioctl does.
   */
  public static List<Analyzer> select(List<String> names) {
    List<Analyzer> chosen = ALL.stream().filter(a -> names.contains(a.name())).toList();
    return chosen.isEmpty() ? ALL : chosen;
  }
}
