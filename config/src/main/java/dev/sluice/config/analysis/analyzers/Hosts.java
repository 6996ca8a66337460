package dev.sluice.config.analysis.analyzers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Host names as Istio's analyzers read them: short names, FQDNs, wildcards, {@code ns/host}. */
final class Hosts {
  static final String CLUSTER_SUFFIX = "svc.cluster.local";
  static final String EXPORT_ALL = "*";
  static final String EXPORT_LOCAL = ".";
  private static final Pattern FQDN = Pattern.compile("^(.+)\\.(.+)\\.svc\\.cluster\\.local$");

  private Hosts() {}

  /** A name and namespace ({@code ""} when there is none). */
  record FullName(String namespace, String name) {
    @Override
    public String toString() {
      return namespace.isEmpty() ? name : namespace + "/" + name;
    }
  }

  /** {@code foo} in {@code ns} becomes {@code foo.ns.svc.cluster.local}; wildcards and dotted names stay. */
  static String toFqdn(String namespace, String host) {
    if (!host.startsWith("*") && !host.contains(".")) {
      return host + "." + namespace + "." + CLUSTER_SUFFIX;
    }
    return host;
  }

  /** {@code name.ns.svc.cluster.local} as (ns, name); (ns of the referrer, host) for anything else. */
  static FullName resourceNameFromHost(String defaultNamespace, String host) {
    Matcher m = FQDN.matcher(host);
    if (m.matches()) {
      return new FullName(m.group(2), m.group(1));
    }
    return new FullName(defaultNamespace, host);
  }

  /** {@code ns/name}, or {@code name} in {@code defaultNamespace}. */
  static FullName shortOrFullName(String defaultNamespace, String name) {
    int slash = name.indexOf('/');
    return slash < 0 ? new FullName(defaultNamespace, name)
        : new FullName(name.substring(0, slash), name.substring(slash + 1));
  }


  /** The hosts visible from {@code namespace}: {@code ns/host} entries of other namespaces are dropped, prefixes cut. */
  static List<String> namesForNamespace(List<String> hosts, String namespace) {
    List<String> out = new ArrayList<>(hosts.size());
    for (String h : hosts) {
      int slash = h.indexOf('/');
      if (slash >= 0) {
        String ns = h.substring(0, slash);
        if (!ns.equals(namespace) && !ns.equals("*")) {
          continue;
        }
        h = h.substring(slash + 1);
      }
      out.add(h);
    }
    return out;
  }

  /** Whether an exportTo list exports to every namespace (empty, or containing {@code *}). */
  static boolean exportsToAll(List<String> exportTo) {
    return exportTo.isEmpty() || exportTo.contains(EXPORT_ALL);
  }
}
