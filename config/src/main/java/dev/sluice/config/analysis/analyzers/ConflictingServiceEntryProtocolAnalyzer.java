package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.Common.Port;
import dev.sluice.config.istio.ServiceEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code serviceentry.ConflictingServiceEntryProtocolAnalyzer}: ServiceEntries visible in the same
 * namespace that declare the same host and port must agree on its protocol (IST0177 on each).
 */
final class ConflictingServiceEntryProtocolAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "serviceentry.ConflictingServiceEntryProtocolAnalyzer";
  }

  @Override
  public String description() {
    return "Checks if multiple ServiceEntries define the same host and port with different protocols";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.SERVICE_ENTRY);
  }

  private record Key(String scope, String host, int port) {}

  private record Entry(String protocol, Resource se) {}

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    Map<Key, List<Entry>> index = new LinkedHashMap<>();
    for (Resource r : s.all(ResourceKind.SERVICE_ENTRY)) {
      ServiceEntry se = (ServiceEntry) r.spec();
      Set<String> scopes = new LinkedHashSet<>();
      if (Hosts.exportsToAll(se.exportTo())) {
        scopes.add(Hosts.EXPORT_ALL);
      } else {
        se.exportTo().forEach(e -> scopes.add(e.equals(Hosts.EXPORT_LOCAL) ? r.namespace() : e));
      }
      for (String scope : scopes) {
        for (String h : se.hosts()) {
          for (Port p : se.ports()) {
            index.computeIfAbsent(new Key(scope, h, p.num()), k -> new ArrayList<>())
                .add(new Entry(p.protocolOrEmpty(), r));
          }
        }
      }
    }
    Report report = new Report();
    Set<Resource.Key> reported = new HashSet<>();
    for (Map.Entry<Key, List<Entry>> e : index.entrySet()) {
      Key key = e.getKey();
      List<Entry> entries = new ArrayList<>(e.getValue());
      if (!key.scope().equals(Hosts.EXPORT_ALL)) {
        entries.addAll(index.getOrDefault(new Key(Hosts.EXPORT_ALL, key.host(), key.port()), List.of()));
      }
      Set<String> protocols = new TreeSet<>();
      entries.forEach(x -> protocols.add(x.protocol().toUpperCase(Locale.ROOT)));
      if (protocols.size() < 2) {
        continue;
      }
      String names = String.join(", ", entries.stream()
          .map(x -> new Hosts.FullName(x.se().namespace(), x.se().name()).toString()).distinct().sorted().toList());
      for (Entry x : entries) {
        if (reported.add(x.se().key())) {
          report.add(x.se(), "metadata.name", Messages.CONFLICTING_SERVICE_ENTRY_PROTOCOL, names, key.host(),
              key.port(), String.join(", ", protocols));
        }
      }
    }
    return report.messages();
  }
}
