package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.Gateway;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code gateway.ConflictingGatewayAnalyzer}: two Gateways whose selectors pick the same pods must
 * not both serve a host on the same port and bind address (IST0145 on each).
 *
 * <p>Istio's version records the hosts of each server it compares as "known" when no conflict is
 * found, which makes its result depend on map iteration order; this one compares the declared
 * hosts only.
 */
final class ConflictingGatewayAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "gateway.ConflictingGatewayAnalyzer";
  }

  @Override
  public String description() {
    return "Checks a gateway's selector, port number and hosts";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.GATEWAY, ResourceKind.POD);
  }

  /** Selector string and port of a group of servers. */
  private record SelectorPort(String selector, String port) {}

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    // (selector, port) -> gateway name -> host -> bind
    Map<SelectorPort, Map<String, Map<String, String>>> groups = new LinkedHashMap<>();
    for (Resource r : s.all(ResourceKind.GATEWAY)) {
      Gateway gw = (Gateway) r.spec();
      String selector = Selectors.toString(gw.selector());
      for (Gateway.Server server : gw.servers()) {
        Map<String, String> hostsBind = new HashMap<>();
        server.hosts().forEach(h -> hostsBind.put(h, bind(server)));
        groups.computeIfAbsent(new SelectorPort(selector, port(server)), k -> new LinkedHashMap<>())
            .put(fullName(r), hostsBind);
      }
    }
    Report report = new Report();
    for (Resource r : s.all(ResourceKind.GATEWAY)) {
      Gateway gw = (Gateway) r.spec();
      String name = fullName(r);
      String selector = Selectors.toString(gw.selector());
      List<SelectorPort> hits = new ArrayList<>();
      for (SelectorPort key : groups.keySet()) {
        if (sameWorkloads(selector, gw.selector(), key.selector(), s)) {
          hits.add(key);
        }
      }
      if (!selector.isEmpty() && hits.isEmpty()) {
        report.add(r, Selectors.fieldOfFirstLabel("spec.selector", gw.selector()),
            Messages.REFERENCED_RESOURCE_NOT_FOUND, "selector", selector);
        continue;
      }
      for (Gateway.Server server : gw.servers()) {
        List<String> conflicting = new ArrayList<>();
        for (SelectorPort key : hits) {
          if (!key.port().equals(port(server))) {
            continue;
          }
          for (Map.Entry<String, Map<String, String>> other : groups.get(key).entrySet()) {
            if (!other.getKey().equals(name) && conflicts(server, other.getValue())) {
              conflicting.add(other.getKey());
            }
          }
        }
        if (!conflicting.isEmpty()) {
          conflicting.sort(null);
          report.add(r, null, Messages.CONFLICTING_GATEWAYS, String.join(",", conflicting), selector, port(server),
              String.join(",", server.hosts()));
        }
      }
    }
    return report.messages();
  }

  /** Equal selectors, or one containing the other's text and both selecting a common pod. */
  private static boolean sameWorkloads(String selector, Map<String, String> labels, String other, Snapshot s) {
    if (selector.equals(other)) {
      return true;
    }
    if (!other.contains(selector) && !selector.contains(other)) {
      return false;
    }
    Map<String, String> otherLabels = parseSelector(other);
    return s.all(ResourceKind.POD).stream().anyMatch(p -> Selectors.matches(labels, p.meta().labels())
        && Selectors.matches(otherLabels, p.meta().labels()));
  }

  private static Map<String, String> parseSelector(String selector) {
    Map<String, String> out = new HashMap<>();
    for (String pair : selector.split(",")) {
      String[] kv = pair.split("=", -1);
      if (kv.length == 2) {
        out.put(kv[0], kv[1]);
      }
    }
    return out;
  }

  private static boolean conflicts(Gateway.Server server, Map<String, String> knownHostsBind) {
    String bind = bind(server);
    return server.hosts().stream().anyMatch(h -> bind.equals(knownHostsBind.get(h)));
  }

  private static String bind(Gateway.Server server) {
    return server.bind() == null ? "" : server.bind();
  }

  private static String port(Gateway.Server server) {
    return Integer.toString(server.port() == null ? 0 : server.port().num());
  }

  static String fullName(Resource r) {
    return new Hosts.FullName(r.namespace(), r.name()).toString();
  }
}
