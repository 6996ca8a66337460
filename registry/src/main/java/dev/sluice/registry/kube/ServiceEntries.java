package dev.sluice.registry.kube;

import dev.sluice.config.Resource;
import dev.sluice.config.istio.Common;
import dev.sluice.config.istio.ServiceEntry;
import dev.sluice.config.istio.WorkloadEntry;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.Protocol;
import dev.sluice.registry.ServicePort;
import dev.sluice.registry.WorkloadInstance;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a ServiceEntry into one service per host, and its inline {@code endpoints} into workload
 * instances bound to those hosts (Istio's ServiceEntry controller). Pure.
 */
public final class ServiceEntries {
  private ServiceEntries() {}

  /** The services a ServiceEntry declares. */
  public static List<MeshService> services(Resource r) {
    if (!(r.spec() instanceof ServiceEntry se)) {
      return List.of();
    }
    List<ServicePort> ports = new ArrayList<>();
    for (Common.Port p : se.ports()) {
      if (p.num() < 1) {
        continue;
      }
      int target = p.targetPort() == null ? p.num() : p.targetPort();
      ports.add(new ServicePort(p.nameOrEmpty(), p.num(), protocol(p), target, ""));
    }
    String address = se.addresses().isEmpty() ? "" : se.addresses().getFirst();
    List<MeshService> out = new ArrayList<>();
    for (String host : se.hosts()) {
      out.add(new MeshService(host, host, r.namespace(), ports,
          se.workloadSelector() == null ? null : se.workloadSelector().labels(), address, se.exportTo(),
          MeshService.Origin.SERVICE_ENTRY, se.resolutionOrDefault(),
          !"MESH_INTERNAL".equals(se.location())));
    }
    return out;
  }

  /** The inline endpoints of a ServiceEntry. */
  public static List<WorkloadInstance> instances(Resource r) {
    if (!(r.spec() instanceof ServiceEntry se)) {
      return List.of();
    }
    List<WorkloadInstance> out = new ArrayList<>();
    for (int i = 0; i < se.endpoints().size(); i++) {
      WorkloadEntry we = se.endpoints().get(i);
      if (we.addressOrEmpty().isEmpty()) {
        continue;
      }
      out.add(KubeWorkloads.workloadEntry("serviceentry-" + r.name() + "-" + i, r.namespace(), we, se.hosts()));
    }
    return out;
  }

  private static Protocol protocol(Common.Port p) {
    Protocol x = Protocol.parse(p.protocol());
    return x == Protocol.UNSUPPORTED ? Protocol.ofServicePort(p.name(), null, null) : x;
  }
}
