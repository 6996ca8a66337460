package dev.sluice.translate;

import dev.sluice.registry.MeshService;
import dev.sluice.registry.ServicePort;
import dev.sluice.registry.WorkloadInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The service ports a sidecar's own workload serves (its inbound side). */
final class InboundPorts {
  private InboundPorts() {}

  /**
   * One served port: the service, its port, the workload port behind it, and the port the platform
   * publishes for it (the same as {@code targetPort} unless the instance maps it).
   */
  record InboundPort(MeshService service, ServicePort port, int targetPort, int publishedPort) {}

  /**
   * The ports of services whose instances include the proxy: an instance at the proxy's IP, or (for
   * proxies the registry does not list) a service in the proxy's namespace whose selector the
   * proxy's labels satisfy.
   */
  static List<InboundPort> of(ProxyView view) {
    // Listeners and clusters both ask; computed once per view.
    List<InboundPort> known = view.inboundPorts;
    if (known == null) {
      known = List.copyOf(compute(view));
      view.inboundPorts = known;
    }
    return known;
  }

  private static List<InboundPort> compute(ProxyView view) {
    List<InboundPort> out = new ArrayList<>();
    ProxyNode node = view.node;
    // Only services with an instance at the proxy's IP, or in its namespace, can be served by it
    // (in hostname order; the namespace's list is sorted already).
    List<String> byAddress = view.mesh.servicesByAddress().getOrDefault(node.ip(), List.of());
    java.util.Collection<String> candidates;
    if (byAddress.isEmpty()) {
      candidates = view.mesh.servicesIn(node.namespace()).stream().map(MeshService::hostname).toList();
    } else {
      var sorted = new java.util.TreeSet<>(byAddress);
      for (MeshService s : view.mesh.servicesIn(node.namespace())) {
        sorted.add(s.hostname());
      }
      candidates = sorted;
    }
    WorkloadInstance named = node.workload().isEmpty() ? null
        : view.mesh.instance(node.namespace() + "/" + node.workload());
    if (byAddress.isEmpty() && named == null) {
      // No registry instance is the proxy: only selectors in its namespace can pick it.
      for (MeshService s : view.mesh.servicesIn(node.namespace())) {
        Map<String, String> sel = s.selector();
        if (s.origin() == MeshService.Origin.KUBERNETES && sel != null && !sel.isEmpty()
            && Labels.matches(sel, node.labels())) {
          addPorts(out, s, null);
        }
      }
      return out;
    }
    List<String> atIp = !node.explicitCapture() && !node.ip().isEmpty()
        ? view.mesh.servicesByAddress().getOrDefault(node.ip(), List.of()) : List.of();
    List<String> atNamed = named == null ? List.of() : view.mesh.servicesByAddress().getOrDefault(named.address(), List.of());
    for (String host : candidates) {
      MeshService s = view.mesh.service(host);
      if (s == null || s.origin() != MeshService.Origin.KUBERNETES) {
        continue;
      }
      WorkloadInstance self = null;
      // Scan the service's instances only when one of them can be the proxy: one at its IP, or the
      // named instance somewhere among the service's addresses (a namespace has thousands of them).
      boolean mayServe = atIp.contains(host) || atNamed.contains(host);
      for (WorkloadInstance w : mayServe ? view.mesh.instancesOf(s.hostname()) : List.<WorkloadInstance>of()) {
        // With explicit capture many workloads share one address (127.0.0.1): only the name identifies.
        boolean byIp = !node.explicitCapture() && !node.ip().isEmpty() && w.address().equals(node.ip());
        if (byIp || !node.workload().isEmpty() && w.name().equals(node.workload()) && w.namespace().equals(node.namespace())) {
          self = w;
          break;
        }
      }
      Map<String, String> sel = s.selector();
      boolean byLabels = self == null && sel != null && !sel.isEmpty() && s.namespace().equals(node.namespace())
          && Labels.matches(sel, node.labels());
      if (self == null && !byLabels) {
        continue;
      }
      addPorts(out, s, self);
    }
    return out;
  }

  private static void addPorts(List<InboundPort> out, MeshService s, @Nullable WorkloadInstance self) {
    for (ServicePort sp : s.ports()) {
      int target = self != null ? MeshSnapshot.workloadPort(sp, self)
          : sp.targetPort() != 0 ? sp.targetPort() : sp.port();
      if (target > 0) {
        out.add(new InboundPort(s, sp, target, self == null ? target : self.publishedPort(target)));
      }
    }
  }
}
