package dev.sluice.translate;

import dev.sluice.registry.MeshService;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Host name rules: short-name resolution, wildcard matching, virtual host domains, exportTo. */
final class Hosts {
  private Hosts() {}

  /** Resolves a host written in {@code namespace}: {@code reviews} → {@code reviews.default.svc.cluster.local}. */
  static String fqdn(String host, String namespace, String domainSuffix) {
    if (host.isEmpty() || host.equals("*") || host.contains(".")) {
      return host;
    }
    return host + "." + namespace + ".svc." + domainSuffix;
  }

  /** Whether {@code pattern} ({@code *}, {@code *.example.com} or a name) covers {@code host}. */
  static boolean matches(String pattern, String host) {
    if (pattern.equals("*")) {
      return true;
    }
    if (pattern.startsWith("*")) {
      String suffix = pattern.substring(1);
      return host.endsWith(suffix) || host.startsWith("*") && host.substring(1).endsWith(suffix);
    }
    return pattern.equals(host);
  }

  /** Whether two host patterns overlap (gateway server hosts vs VirtualService hosts). */
  static boolean overlaps(String a, String b) {
    return matches(a, b) || matches(b, a);
  }

  /** Istio's {@code exportTo} check: empty or {@code *} is everyone, {@code .} the own namespace. */
  static boolean visible(List<String> exportTo, String resourceNamespace, String proxyNamespace) {
    if (exportTo.isEmpty()) {
      return true;
    }
    for (String e : exportTo) {
      if (e.equals("*") || e.equals(proxyNamespace) || e.equals(".") && resourceNamespace.equals(proxyNamespace)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The domains of a sidecar virtual host for {@code service} on {@code port}, as istiod lists them:
   * the FQDN with and without the port, the shorter forms ({@code reviews.default.svc}, {@code
   * reviews.default}, and {@code reviews} only from the same namespace), each with and without
   * the port, then the VIP. With {@code portOnly} (the HTTP proxy route) only the forms with a
   * port are kept, and the forms without one when the port is 80.
   */
  static List<String> domains(MeshService service, int port, String proxyNamespace, String domainSuffix,
      boolean portOnly) {
    List<String> names = new ArrayList<>();
    names.add(service.hostname());
    if (service.origin() == MeshService.Origin.KUBERNETES) {
      String svcSuffix = ".svc." + domainSuffix;
      if (service.hostname().endsWith(svcSuffix)) {
        String nameNs = service.hostname().substring(0, service.hostname().length() - svcSuffix.length());
        if (service.namespace().equals(proxyNamespace)) {
          names.add(service.name());
        }
        names.add(nameNs);
        names.add(nameNs + ".svc");
      }
    }
    if (!service.address().isEmpty()) {
      names.add(service.address());
    }
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      if (!portOnly || port == 80) {
        out.add(n);
      }
      out.add(n + ":" + port);
    }
    return List.copyOf(out);
  }
}
