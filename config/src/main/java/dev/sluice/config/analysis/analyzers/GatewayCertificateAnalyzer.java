package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.Common.ServerTls;
import dev.sluice.config.istio.Gateway;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code gateway.CertificateAnalyzer}: Gateways on the same workloads should not serve the same
 * certificate (same {@code credentialName}, or same certificate and key files), since HTTP/2
 * connection reuse then sends requests to the wrong server (IST0138).
 */
final class GatewayCertificateAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "gateway.CertificateAnalyzer";
  }

  @Override
  public String description() {
    return "Checks a gateway certificate";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.GATEWAY);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Report report = new Report();
    List<Resource> gateways = s.all(ResourceKind.GATEWAY);
    for (Resource current : gateways) {
      Gateway cur = (Gateway) current.spec();
      for (Resource other : gateways) {
        Gateway oth = (Gateway) other.spec();
        if (other.key().equals(current.key())
            || !cur.selector().isEmpty() && !selectorSubset(cur.selector(), oth.selector())) {
          continue;
        }
        for (Gateway.Server cs : cur.servers()) {
          for (Gateway.Server os : oth.servers()) {
            if (cs.tls() != null && os.tls() != null && sameCertificate(cs.tls(), os.tls())) {
              report.add(current, "metadata.name", Messages.GATEWAY_DUPLICATE_CERTIFICATE,
                  List.of(ConflictingGatewayAnalyzer.fullName(current), ConflictingGatewayAnalyzer.fullName(other)));
            }
          }
        }
      }
    }
    return report.messages();
  }

  /** Whether every label of {@code x} is in {@code y} with the same value. */
  private static boolean selectorSubset(Map<String, String> x, Map<String, String> y) {
    return Selectors.matches(x, y);
  }

  private static boolean sameCertificate(ServerTls a, ServerTls b) {
    String ca = nz(a.credentialName());
    String cb = nz(b.credentialName());
    if (!ca.isEmpty() && !cb.isEmpty()) {
      return ca.equals(cb);
    }
    if (ca.isEmpty() && cb.isEmpty()) {
      String sa = nz(a.serverCertificate());
      String sb = nz(b.serverCertificate());
      if (!sa.isEmpty() && sa.equals(sb)) {
        String ka = nz(a.privateKey());
        String kb = nz(b.privateKey());
        return !ka.isEmpty() && ka.equals(kb);
      }
    }
    return false;
  }

  private static String nz(@org.jspecify.annotations.Nullable String s) {
    return s == null ? "" : s;
  }
}
