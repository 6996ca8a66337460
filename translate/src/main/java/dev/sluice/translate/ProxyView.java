package dev.sluice.translate;

import dev.sluice.config.Resource;
import dev.sluice.config.istio.DestinationRule;
import dev.sluice.config.istio.VirtualService;
import dev.sluice.registry.MeshService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one proxy sees of a snapshot (istiod's {@code SidecarScope}): the services, VirtualServices
 * and DestinationRules exported to its namespace, and per host the VirtualService and
 * DestinationRule that apply.
 */
final class ProxyView {
  final MeshSnapshot mesh;
  final ProxyNode node;
  final List<MeshService> services;
  final List<Resource> virtualServices;
  private final Map<String, @Nullable Resource> meshVsByHost = new HashMap<>();
  private final Map<String, @Nullable Resource> drByHost = new HashMap<>();

  /** The proxy's own served ports, once computed ({@link InboundPorts#of}). */
  @Nullable List<InboundPorts.InboundPort> inboundPorts;
  /** Outbound clusters and assignments shared with other views of the snapshot, if any. */
  final @Nullable SharedTranslations shared;

  ProxyView(MeshSnapshot mesh, ProxyNode node) {
    this(mesh, node, null);
  }

  ProxyView(MeshSnapshot mesh, ProxyNode node, @Nullable SharedTranslations shared) {
    if (shared != null && shared.mesh() != mesh) {
      throw new IllegalArgumentException("shared: translations of snapshot " + shared.mesh().version()
          + " (expected: of the snapshot being translated, " + mesh.version() + ")");
    }
    this.mesh = mesh;
    this.node = node;
    this.shared = shared;
    if (mesh.exportedEverywhere()) {
      // Nothing restricts visibility (the common case): skip filtering thousands of objects per proxy.
      this.services = mesh.serviceList();
      this.virtualServices = mesh.virtualServices();
      return;
    }
    List<MeshService> s = new ArrayList<>();
    for (MeshService svc : mesh.services().values()) {
      if (Hosts.visible(svc.exportTo(), svc.namespace(), node.namespace())) {
        s.add(svc);
      }
    }
    this.services = List.copyOf(s);
    List<Resource> v = new ArrayList<>();
    for (Resource r : mesh.virtualServices()) {
      if (Hosts.visible(((VirtualService) r.spec()).exportTo(), r.namespace(), node.namespace())) {
        v.add(r);
      }
    }
    this.virtualServices = List.copyOf(v);
  }

  private @Nullable ViewKey key;

  /** The proxy's view key (computed once). */
  ViewKey key() {
    ViewKey k = key;
    if (k == null) {
      k = ViewKey.of(mesh, node);
      key = k;
    }
    return k;
  }

  String fqdn(String host, String namespace) {
    return Hosts.fqdn(host, namespace, mesh.domainSuffix());
  }

  /** Whether a VirtualService is bound to sidecars ({@code gateways} empty or with {@code mesh}). */
  static boolean boundToMesh(VirtualService vs) {
    return vs.gateways().isEmpty() || vs.gateways().contains("mesh");
  }

  /**
   * The VirtualService for {@code hostname} on sidecars: the first (by namespace and name) bound
   * to the mesh whose hosts cover it, exact hosts before wildcards.
   */
  @Nullable Resource meshVirtualService(String hostname) {
    return meshVsByHost.computeIfAbsent(hostname, h -> {
      Resource wildcard = null;
      for (Resource r : mesh.candidates(mesh.virtualServicesByHost(), h)) {
        VirtualService vs = (VirtualService) r.spec();
        if (!Hosts.visible(vs.exportTo(), r.namespace(), node.namespace())) {
          continue;
        }
        if (!boundToMesh(vs) || vs.http().isEmpty() && vs.tcp().isEmpty() && vs.tls().isEmpty()) {
          continue;
        }
        for (String host : vs.hosts()) {
          String f = fqdn(host, r.namespace());
          if (f.equals(h)) {
            return r;
          }
          if (wildcard == null && f.startsWith("*") && Hosts.matches(f, h)) {
            wildcard = r;
          }
        }
      }
      return wildcard;
    });
  }

  /**
   * The DestinationRule for {@code hostname}: one in the proxy's namespace first, then the
   * service's, then the root namespace, then any other exported one; exact hosts before wildcards.
   * Rules with a {@code workloadSelector} apply only to the workloads they select.
   */
  @Nullable Resource destinationRule(String hostname, String serviceNamespace) {
    return drByHost.computeIfAbsent(hostname, h -> {
      Resource best = null;
      int bestScore = Integer.MAX_VALUE;
      for (Resource r : mesh.candidates(mesh.destinationRulesByHost(), h)) {
        DestinationRule dr = (DestinationRule) r.spec();
        if (!Hosts.visible(dr.exportTo(), r.namespace(), node.namespace())) {
          continue;
        }
        if (dr.workloadSelector() != null
            && !(r.namespace().equals(node.namespace()) && Labels.matches(dr.workloadSelector().matchLabels(), node.labels()))) {
          continue;
        }
        String f = fqdn(dr.hostOrEmpty(), r.namespace());
        boolean exact = f.equals(h);
        if (!exact && !(f.startsWith("*") && Hosts.matches(f, h))) {
          continue;
        }
        int nsRank = r.namespace().equals(node.namespace()) ? 0 : r.namespace().equals(serviceNamespace) ? 1
            : r.namespace().equals(mesh.rootNamespace()) ? 2 : 3;
        int score = nsRank * 2 + (exact ? 0 : 1);
        if (score < bestScore) {
          best = r;
          bestScore = score;
        }
      }
      return best;
    });
  }
}
