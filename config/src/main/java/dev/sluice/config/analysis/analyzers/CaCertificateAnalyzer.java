package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.DestinationRule;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code destinationrule.CaCertificateAnalyzer}: TLS mode SIMPLE or MUTUAL without
 * {@code caCertificates} does not verify the server (IST0128 for the rule, IST0129 per port),
 * unless a {@code credentialName} is used with a {@code workloadSelector}.
 */
final class CaCertificateAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "destinationrule.CaCertificateAnalyzer";
  }

  @Override
  public String description() {
    return "Checks if caCertificates is set when TLS mode is SIMPLE/MUTUAL";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.DESTINATION_RULE);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Report report = new Report();
    for (Resource r : s.all(ResourceKind.DESTINATION_RULE)) {
      DestinationRule dr = (DestinationRule) r.spec();
      String name = new Hosts.FullName(r.namespace(), r.name()).toString();
      DestinationRule.TrafficPolicy tp = dr.trafficPolicy();
      if (tp == null) {
        continue;
      }
      if (unverified(tp.tls(), dr)) {
        report.add(r, "spec.trafficPolicy.tls", Messages.NO_SERVER_CERTIFICATE_VERIFICATION_DESTINATION_LEVEL, name,
            r.namespace(), tp.tls().mode(), dr.hostOrEmpty());
      }
      for (int i = 0; i < tp.portLevelSettings().size(); i++) {
        DestinationRule.PortTrafficPolicy p = tp.portLevelSettings().get(i);
        if (unverified(p.tls(), dr)) {
          String port = p.port() == null ? "" : "number:" + p.port().num();
          report.add(r, "spec.trafficPolicy.portLevelSettings[" + i + "].tls",
              Messages.NO_SERVER_CERTIFICATE_VERIFICATION_PORT_LEVEL, name, r.namespace(), p.tls().mode(),
              dr.hostOrEmpty(), port);
        }
      }
    }
    return report.messages();
  }

  private static boolean unverified(DestinationRule.@Nullable ClientTls tls, DestinationRule dr) {
    if (tls == null || !("SIMPLE".equals(tls.mode()) || "MUTUAL".equals(tls.mode()))) {
      return false;
    }
    boolean hasCa = tls.caCertificates() != null && !tls.caCertificates().isEmpty();
    boolean credentialForWorkload = tls.credentialName() != null && !tls.credentialName().isEmpty()
        && dr.workloadSelector() != null;
    return !hasCa && !credentialForWorkload;
  }
}
