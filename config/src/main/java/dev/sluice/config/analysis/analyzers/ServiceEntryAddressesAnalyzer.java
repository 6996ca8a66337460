package dev.sluice.config.analysis.analyzers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.AnalysisMessage;
import dev.sluice.config.analysis.Analyzer;
import dev.sluice.config.analysis.MeshConfig;
import dev.sluice.config.analysis.Messages;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.istio.Common.Port;
import dev.sluice.config.istio.ServiceEntry;
import java.util.List;
import java.util.Set;

/**
 * {@code serviceentry.Analyzer}: a ServiceEntry without addresses needs them for each TCP (or
 * unset-protocol) port (IST0134), unless addresses were allocated (in its status) or the mesh
 * config turns on DNS capture with automatic allocation.
 */
final class ServiceEntryAddressesAnalyzer implements Analyzer {
  @Override
  public String name() {
    return "serviceentry.Analyzer";
  }

  @Override
  public String description() {
    return "Checks the validity of ServiceEntry";
  }

  @Override
  public Set<ResourceKind> inputs() {
    return Set.of(ResourceKind.SERVICE_ENTRY);
  }

  @Override
  public List<AnalysisMessage> analyze(Snapshot s) {
    MeshConfig mesh = s.meshConfig();
    boolean autoAllocated = mesh.proxyMetadataEnabled("ISTIO_META_DNS_CAPTURE")
        && (mesh.proxyMetadataEnabled("ISTIO_META_DNS_AUTO_ALLOCATE")
            || mesh.proxyMetadataEnabled("PILOT_ENABLE_IP_AUTOALLOCATE"));
    Report report = new Report();
    if (autoAllocated) {
      return report.messages();
    }
    for (Resource r : s.all(ResourceKind.SERVICE_ENTRY)) {
      ServiceEntry se = (ServiceEntry) r.spec();
      if (!se.addresses().isEmpty() || addressAllocated(r)) {
        continue;
      }
      for (int i = 0; i < se.ports().size(); i++) {
        Port p = se.ports().get(i);
        if (p.protocolOrEmpty().isEmpty() || p.protocolOrEmpty().equalsIgnoreCase("TCP")) {
          report.add(r, "spec.ports[" + i + "]", Messages.SERVICE_ENTRY_ADDRESSES_REQUIRED);
        }
      }
    }
    return report.messages();
  }

  /** Whether Istio already allocated addresses ({@code status.addresses}, which only the raw object keeps). */
  private static boolean addressAllocated(Resource r) {
    JsonNode raw = r.raw();
    if (raw == null) {
      return false;
    }
    JsonNode addresses = raw.path("status").path("addresses");
    return addresses.isArray() && !addresses.isEmpty();
  }
}
