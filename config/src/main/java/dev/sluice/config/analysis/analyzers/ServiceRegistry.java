package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.ServiceEntry;
import dev.sluice.config.kube.Kube;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hosts of the mesh as Istio's analyzers see them: every ServiceEntry host, scoped by its
 * {@code exportTo}, and every Kubernetes Service as {@code name.ns.svc.cluster.local}, scoped by its
 * {@code networking.istio.io/exportTo} annotation. Keys are {@code scope/fqdn}, scope being a
 * namespace or {@code *}.
 */
final class ServiceRegistry {
  static final String EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo";

  /** One port of a registered service. */
  record Port(int number, String name, String protocol) {}

  /** A registered service: its ports and (for ServiceEntries) the workload selector. */
  record Service(List<Port> ports, Map<String, String> workloadSelector) {
    List<Integer> portNumbers() {
      return ports.stream().map(Port::number).toList();
    }
  }

  private final Map<String, Service> byScopedHost;

  private ServiceRegistry(Map<String, Service> byScopedHost) {
    this.byScopedHost = byScopedHost;
  }

  static ServiceRegistry of(Snapshot s) {
    Map<String, Service> map = new LinkedHashMap<>();
    for (Resource r : s.all(ResourceKind.SERVICE_ENTRY)) {
      ServiceEntry se = (ServiceEntry) r.spec();
      List<Port> ports = se.ports().stream().map(p -> new Port(p.num(), p.nameOrEmpty(), p.protocolOrEmpty())).toList();
      Service svc = new Service(ports, se.workloadSelector() == null ? Map.of() : se.workloadSelector().labels());
      String ns = r.namespace();
      boolean toAll = false;
      for (String h : se.hosts()) {
        if (se.exportTo().isEmpty() || toAll) {
          map.put(key(Hosts.EXPORT_ALL, ns, h), svc);
          continue;
        }
        for (String e : se.exportTo()) {
          if (e.equals(Hosts.EXPORT_ALL)) {
            map.put(key(Hosts.EXPORT_ALL, ns, h), svc);
            toAll = true;
            break;
          }
          map.put(key(e.equals(Hosts.EXPORT_LOCAL) ? ns : e, ns, h), svc);
        }
      }
    }
    for (Resource r : s.all(ResourceKind.SERVICE)) {
      Kube.ServiceSpec spec = ((Kube.Service) r.spec()).specOrEmpty();
      List<Port> ports = spec.ports().stream()
          .map(p -> new Port(p.portOrZero(), p.nameOrEmpty(), p.protocol() == null ? "" : p.protocol())).toList();
      Service svc = new Service(ports, Map.of());
      for (String scope : visibleNamespaces(r.meta().annotations().get(EXPORT_TO_ANNOTATION), r.namespace())) {
        map.put(key(scope, r.namespace(), r.name()), svc);
      }
    }
    return new ServiceRegistry(map);
  }

  private static List<String> visibleNamespaces(@org.jspecify.annotations.Nullable String annotation, String ns) {
    List<String> out = new ArrayList<>();
    if (annotation == null || annotation.isEmpty()) {
      out.add(Hosts.EXPORT_ALL);
      return out;
    }
    for (String e : annotation.split(",")) {
      e = e.trim();
      out.add(e.equals(Hosts.EXPORT_LOCAL) ? ns : e);
    }
    return out;
  }

  static String key(String scope, String namespace, String host) {
    return scope + "/" + Hosts.toFqdn(namespace, host);
  }

  /**
   * The service {@code host} names as seen from {@code sourceNamespace} by a resource exported to
   * {@code exportTo}: exact hosts first (exported to all, then to the namespaces concerned), then
   * wildcard entries by suffix.
   */
  Optional<Service> lookup(String sourceNamespace, List<String> exportTo, String host) {
    Service s = byScopedHost.get(key(Hosts.EXPORT_ALL, sourceNamespace, host));
    if (s != null) {
      return Optional.of(s);
    }
    if (exportTo.isEmpty()) {
      s = byScopedHost.get(key(sourceNamespace, sourceNamespace, host));
      if (s != null) {
        return Optional.of(s);
      }
    } else {
      for (String e : exportTo) {
        s = byScopedHost.get(key(e.equals(Hosts.EXPORT_LOCAL) ? sourceNamespace : e, sourceNamespace, host));
        if (s != null) {
          return Optional.of(s);
        }
      }
    }
    String bare = host.startsWith("*") ? host.substring(1) : host;
    for (Map.Entry<String, Service> e : byScopedHost.entrySet()) {
      int slash = e.getKey().indexOf('/');
      String scope = e.getKey().substring(0, slash);
      String seHost = e.getKey().substring(slash + 1);
      if (!seHost.startsWith("*") || !(scope.equals(Hosts.EXPORT_ALL) || scope.equals(sourceNamespace))) {
        continue;
      }
      if (bare.endsWith(seHost.substring(1))) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }
}
