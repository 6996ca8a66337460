package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.Gateway;
import dev.sluice.config.kube.Kube;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code gateway.SecretAnalyzer}: each {@code credentialName} of a Gateway names a Secret in the
 * namespace of the gateway's pods (IST0101) holding a parsable certificate that is valid now (IST0161).
 */
final class GatewaySecretAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "gateway.SecretAnalyzer";
  }

  @Override
  public String description() {
    return "Checks a gateway's referenced secrets for correctness";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.GATEWAY, ResourceKind.POD, ResourceKind.SECRET);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Report report = new Report();
    for (Resource r : s.all(ResourceKind.GATEWAY)) {
      Gateway gw = (Gateway) r.spec();
      String gwNs = s.all(ResourceKind.POD).stream()
          .filter(p -> Selectors.matches(gw.selector(), p.meta().labels()))
          .map(Resource::namespace).findFirst().orElse("");
      if (gwNs.isEmpty()) {
        report.add(r, Selectors.fieldOfFirstLabel("spec.selector", gw.selector()),
            Messages.REFERENCED_RESOURCE_NOT_FOUND, "selector", Selectors.toString(gw.selector()));
        continue;
      }
      for (int i = 0; i < gw.servers().size(); i++) {
        Gateway.Server server = gw.servers().get(i);
        String cn = server.tls() == null || server.tls().credentialName() == null ? "" : server.tls().credentialName();
        if (cn.isEmpty()) {
          continue;
        }
        String field = "spec.servers[" + i + "].tls.credentialName";
        Hosts.FullName ref = Hosts.shortOrFullName(gwNs, cn);
        Optional<Resource> secret = s.find(ResourceKind.SECRET, ref.namespace(), ref.name());
        if (secret.isEmpty()) {
          report.add(r, field, Messages.REFERENCED_RESOURCE_NOT_FOUND, "credentialName", cn);
        } else if (!validCertificate((Kube.Secret) secret.get().spec(), s.now())) {
          report.add(r, field, Messages.INVALID_GATEWAY_CREDENTIAL, r.name(), gwNs);
        }
      }
    }
    return report.messages();
  }

  /**
   * Whether the secret holds a certificate and key ({@code cert}/{@code key}, else
   * {@code tls.crt}/{@code tls.key}) and the first PEM block of the certificate parses as X.509
   * certificates all valid at {@code now}.
   */
  static boolean validCertificate(Kube.Secret secret, Instant now) {
    Map<String, byte[]> data = new HashMap<>();
    secret.data().forEach((k, v) -> data.put(k, decode(v)));
    secret.stringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    byte[] cert;
    if (present(data, "cert") && present(data, "key")) {
      cert = data.get("cert");
    } else if (present(data, "tls.crt") && present(data, "tls.key")) {
      cert = data.get("tls.crt");
    } else {
      return false;
    }
    byte[] der = firstPemBlock(new String(cert, StandardCharsets.US_ASCII));
    if (der == null) {
      return false;
    }
    try {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(der));
      if (certs.isEmpty()) {
        return false;
      }
      for (Certificate c : certs) {
        ((X509Certificate) c).checkValidity(Date.from(now));
      }
      return true;
    } catch (CertificateException | ClassCastException e) {
      return false;
    }
  }

  private static boolean present(Map<String, byte[]> data, String key) {
    byte[] v = data.get(key);
    return v != null && v.length > 0;
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  /** The body of the first {@code -----BEGIN ...-----} block, or null. */
  private static byte @org.jspecify.annotations.Nullable [] firstPemBlock(String pem) {
    int begin = pem.indexOf("-----BEGIN ");
    if (begin < 0) {
      return null;
    }
    int bodyStart = pem.indexOf("-----", begin + 11);
    int end = bodyStart < 0 ? -1 : pem.indexOf("-----END ", bodyStart + 5);
    if (end < 0) {
      return null;
    }
    String body = pem.substring(bodyStart + 5, end).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
