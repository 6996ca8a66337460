package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.Common.Destination;
import dev.sluice.config.istio.VirtualService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code virtualservice.DestinationHostAnalyzer}: every route and mirror destination names a known
 * service (IST0101) and, where that service has several ports, a port it has (IST0101
 * {@code host:port}, IST0112); and gateway-bound routes without a subset to a host that a mesh
 * VirtualService splits by subset (IST0140).
 */
final class DestinationHostAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "virtualservice.DestinationHostAnalyzer";
  }

  @Override
  public String description() {
    return "Checks the destination hosts associated with each virtual service";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.SERVICE_ENTRY, ResourceKind.VIRTUAL_SERVICE, ResourceKind.SERVICE);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Report report = new Report();
    ServiceRegistry registry = ServiceRegistry.of(s);
    Map<String, List<Destination>> subsetRoutes = subsetDestinations(s);
    for (Resource r : s.all(ResourceKind.VIRTUAL_SERVICE)) {
      VirtualService vs = (VirtualService) r.spec();
      for (RouteDestinations.Located d : RouteDestinations.routes(vs)) {
        check(r, vs, d, registry, report);
      }
      for (RouteDestinations.Located d : RouteDestinations.mirrors(vs)) {
        check(r, vs, d, registry, report);
      }
      checkIngressSubsets(r, vs, subsetRoutes, report);
    }
    return report.messages();
  }

  private static void check(Resource r, VirtualService vs, RouteDestinations.Located d, ServiceRegistry registry,
      Report report) {
    Optional<ServiceRegistry.Service> found = registry.lookup(r.namespace(), vs.exportTo(), d.host());
    if (found.isEmpty()) {
      report.add(r, d.field(), Messages.REFERENCED_RESOURCE_NOT_FOUND, d.mirror() ? "mirror host" : "host", d.host());
      return;
    }
    ServiceRegistry.Service svc = found.get();
    if (d.destination().port() == null) {
      if (svc.ports().size() > 1) {
        report.add(r, d.field(), Messages.VIRTUAL_SERVICE_DESTINATION_PORT_SELECTOR_REQUIRED, d.host(),
            svc.portNumbers());
      }
      return;
    }
    int port = d.destination().portNumber();
    if (!svc.portNumbers().contains(port)) {
      report.add(r, d.field(), Messages.REFERENCED_RESOURCE_NOT_FOUND, "host:port", d.host() + ":" + port);
    }
  }

  /** For each VirtualService, the http destinations that name a subset of a host the VirtualService serves. */
  private static Map<String, List<Destination>> subsetDestinations(Snapshot s) {
    Map<String, List<Destination>> out = new LinkedHashMap<>();
    for (Resource r : s.all(ResourceKind.VIRTUAL_SERVICE)) {
      VirtualService vs = (VirtualService) r.spec();
      for (VirtualService.HttpRoute http : vs.http()) {
        for (VirtualService.HttpRouteDestination rd : http.route()) {
          Destination d = rd.destination();
          if (d == null || d.subsetOrEmpty().isEmpty()) {
            continue;
          }
          for (String h : vs.hosts()) {
            if (d.hostOrEmpty().equals(h)) {
              out.computeIfAbsent(new Hosts.FullName(r.namespace(), r.name()).toString(), k -> new ArrayList<>())
                  .add(d);
            }
          }
        }
      }
    }
    return out;
  }

  private static void checkIngressSubsets(Resource r, VirtualService vs, Map<String, List<Destination>> subsetRoutes,
      Report report) {
    if (vs.gateways().isEmpty()) {
      return;
    }
    String self = new Hosts.FullName(r.namespace(), r.name()).toString();
    for (VirtualService.HttpRoute http : vs.http()) {
      for (VirtualService.HttpRouteDestination rd : http.route()) {
        Destination d = rd.destination();
        String host = d == null ? "" : d.hostOrEmpty();
        if (d != null && !d.subsetOrEmpty().isEmpty()) {
          continue;
        }
        for (Map.Entry<String, List<Destination>> e : subsetRoutes.entrySet()) {
          for (Destination other : e.getValue()) {
            if (other.hostOrEmpty().equals(host)) {
              report.add(r, null, Messages.INGRESS_ROUTE_RULES_NOT_AFFECTED, e.getKey(), self);
            }
          }
        }
      }
    }
  }
}
