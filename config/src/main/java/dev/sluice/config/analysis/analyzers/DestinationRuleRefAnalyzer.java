package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.DestinationRule;
import dev.sluice.config.istio.VirtualService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code virtualservice.DestinationRuleAnalyzer}: every destination or mirror that names a subset
 * names one a DestinationRule for that host defines (IST0101 {@code host+subset in destinationrule}).
 */
final class DestinationRuleRefAnalyzer implements Analyzer {
  /** A host (as name and namespace) and one of its subsets. */
  private record HostSubset(Hosts.FullName host, String subset) {}

  @Override
  public String name() {
    return "virtualservice.DestinationRuleAnalyzer";
  }

  @Override
  public String description() {
    return "Checks the destination rules associated with each virtual service";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.VIRTUAL_SERVICE, ResourceKind.DESTINATION_RULE);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Set<HostSubset> known = new HashSet<>();
    for (Resource r : s.all(ResourceKind.DESTINATION_RULE)) {
      DestinationRule dr = (DestinationRule) r.spec();
      for (DestinationRule.Subset ss : dr.subsets()) {
        known.add(new HostSubset(Hosts.resourceNameFromHost(r.namespace(), dr.hostOrEmpty()), ss.nameOrEmpty()));
      }
    }
    Report report = new Report();
    for (Resource r : s.all(ResourceKind.VIRTUAL_SERVICE)) {
      VirtualService vs = (VirtualService) r.spec();
      for (RouteDestinations.Located d : RouteDestinations.routes(vs)) {
        check(r, d, known, "host+subset in destinationrule", report);
      }
      for (RouteDestinations.Located d : RouteDestinations.mirrors(vs)) {
        check(r, d, known, "mirror+subset in destinationrule", report);
      }
    }
    return report.messages();
  }

  private static void check(Resource r, RouteDestinations.Located d, Set<HostSubset> known, String what,
      Report report) {
    String subset = d.destination().subsetOrEmpty();
    if (subset.isEmpty()) {
      return;
    }
    if (!known.contains(new HostSubset(Hosts.resourceNameFromHost(r.namespace(), d.host()), subset))) {
      report.add(r, d.field(), Messages.REFERENCED_RESOURCE_NOT_FOUND, what, d.host() + "+" + subset);
    }
  }
}
