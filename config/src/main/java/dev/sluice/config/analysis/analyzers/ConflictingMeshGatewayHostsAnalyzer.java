package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Hostnames;
import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.VirtualService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code virtualservice.ConflictingMeshGatewayHostsAnalyzer}: two VirtualServices bound to the mesh
 * gateway, visible in the same namespace, must not define the same host (IST0109 on each).
 */
final class ConflictingMeshGatewayHostsAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "virtualservice.ConflictingMeshGatewayHostsAnalyzer";
  }

  @Override
  public String description() {
    return "Checks if multiple virtual services associated with the mesh gateway have conflicting hosts";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.VIRTUAL_SERVICE);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Map<String, List<Resource>> byScopedHost = new LinkedHashMap<>();
    for (Resource r : s.all(ResourceKind.VIRTUAL_SERVICE)) {
      VirtualService vs = (VirtualService) r.spec();
      if (!vs.gateways().isEmpty() && !vs.gateways().contains(VsGatewayAnalyzer.MESH)) {
        continue;
      }
      Set<String> scopes = new LinkedHashSet<>();
      if (Hosts.exportsToAll(vs.exportTo())) {
        scopes.add(Hosts.EXPORT_ALL);
      } else {
        vs.exportTo().forEach(e -> scopes.add(e.equals(Hosts.EXPORT_LOCAL) ? r.namespace() : e));
      }
      for (String scope : scopes) {
        for (String h : vs.hosts()) {
          byScopedHost.computeIfAbsent(ServiceRegistry.key(scope, r.namespace(), h), k -> new ArrayList<>()).add(r);
        }
      }
    }
    Report report = new Report();
    Set<Resource.Key> reported = new HashSet<>();
    for (Map.Entry<String, List<Resource>> e : byScopedHost.entrySet()) {
      String scope = e.getKey().substring(0, e.getKey().indexOf('/'));
      String host = e.getKey().substring(e.getKey().indexOf('/') + 1);
      List<Resource> group = new ArrayList<>(e.getValue());
      if (!scope.equals(Hosts.EXPORT_ALL)) {
        for (Map.Entry<String, List<Resource>> other : byScopedHost.entrySet()) {
          String otherScope = other.getKey().substring(0, other.getKey().indexOf('/'));
          String otherHost = other.getKey().substring(other.getKey().indexOf('/') + 1);
          if (otherScope.equals(Hosts.EXPORT_ALL) && Hostnames.overlap(host, otherHost)) {
            group.addAll(other.getValue());
          }
        }
      }
      if (group.size() < 2) {
        continue;
      }
      String names = String.join(",", group.stream()
          .map(r -> new Hosts.FullName(r.namespace(), r.name()).toString()).sorted().toList());
      for (Resource r : group) {
        if (reported.add(r.key())) {
          report.add(r, "metadata.name", Messages.CONFLICTING_MESH_GATEWAY_VIRTUAL_SERVICE_HOSTS, names, e.getKey());
        }
      }
    }
    return report.messages();
  }
}
