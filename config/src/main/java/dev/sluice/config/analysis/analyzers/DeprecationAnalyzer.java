package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.Sidecar;
import dev.sluice.config.istio.VirtualService;
import java.util.List;
import java.util.Set;

/**
 * {@code deprecation.DeprecationAnalyzer}: deprecated fields (IST0002): a VirtualService's
 * {@code fault.delay.percent} and a Sidecar's {@code outboundTrafficPolicy.egressProxy}. (Istio also
 * flags removed {@code rbac.istio.io} CRDs, which Sluice does not load.)
 */
final class DeprecationAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "deprecation.DeprecationAnalyzer";
  }

  @Override
  public String description() {
    return "Checks for deprecated Istio types and fields";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.VIRTUAL_SERVICE, ResourceKind.SIDECAR);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Report report = new Report();
    for (Resource r : s.all(ResourceKind.VIRTUAL_SERVICE)) {
      for (VirtualService.HttpRoute http : ((VirtualService) r.spec()).http()) {
        if (http.fault() != null && http.fault().delay() != null && http.fault().delay().percent() != null
            && http.fault().delay().percent() > 0) {
          report.add(r, null, Messages.DEPRECATED,
              "HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage");
        }
      }
    }
    for (Resource r : s.all(ResourceKind.SIDECAR)) {
      Sidecar sc = (Sidecar) r.spec();
      if (sc.outboundTrafficPolicy() != null && sc.outboundTrafficPolicy().egressProxy() != null) {
        report.add(r, null, Messages.DEPRECATED, "OutboundTrafficPolicy.EgressProxy ignored");
      }
    }
    return report.messages();
  }
}
