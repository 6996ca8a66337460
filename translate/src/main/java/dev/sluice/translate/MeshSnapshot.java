package dev.sluice.translate;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.ServicePort;
import dev.sluice.registry.WorkloadInstance;
import dev.sluice.registry.kube.ServiceEntries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything translation reads, frozen for one push (istiod's {@code PushContext}): services
 * (Kubernetes and ServiceEntry hosts), the instances behind each, and the Istio config, indexed.
 * Immutable; build a new one per push with {@link #build}.
 *
 * <pre>{@code
 * MeshSnapshot s = MeshSnapshot.build(registry.services(), registry.instances(), store.list(), "7");
 * ProxyResources r = XdsTranslator.translate(s, ProxyNode.sidecar("productpage-v1", "default", ip, labels));
 * }</pre>
 *
 * @param version a label for this snapshot (the push version)
 * @param domainSuffix the cluster domain ({@code cluster.local})
 * @param rootNamespace Istio's root namespace ({@code istio-system})
 */
public record MeshSnapshot(
    String version,
    String domainSuffix,
    String rootNamespace,
    Map<String, MeshService> services,
    Map<String, List<WorkloadInstance>> instances,
    List<WorkloadInstance> allInstances,
    List<Resource> virtualServices,
    List<Resource> destinationRules,
    List<Resource> gateways,
    Map<String, List<String>> servicesByAddress) {

  private static final Comparator<Resource> BY_NAME =
      Comparator.comparing(Resource::namespace).thenComparing(Resource::name);

  public MeshSnapshot {
    requireNonNull(version, "version");
    requireNonNull(domainSuffix, "domainSuffix");
    requireNonNull(rootNamespace, "rootNamespace");
    services = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(services));
    instances = Map.copyOf(instances);
    allInstances = List.copyOf(allInstances);
    virtualServices = List.copyOf(virtualServices);
    destinationRules = List.copyOf(destinationRules);
    gateways = List.copyOf(gateways);
    servicesByAddress = Map.copyOf(servicesByAddress);
  }

  /** An empty mesh. */
  public static MeshSnapshot empty() {
    return build(List.of(), List.of(), List.of(), "0");
  }

  /**
   * Builds a snapshot: ServiceEntries become services (a Kubernetes service keeps its host when
   * both declare it), each service gets the instances its selector picks in its namespace plus the
   * instances bound to it, and config is sorted by namespace and name (istiod sorts by creation
   * time, which files do not have).
   */
  public static MeshSnapshot build(List<MeshService> registryServices, List<WorkloadInstance> registryInstances,
      List<Resource> config, String version) {
    List<Resource> vs = new ArrayList<>();
    List<Resource> dr = new ArrayList<>();
    List<Resource> gw = new ArrayList<>();
    List<MeshService> all = new ArrayList<>(registryServices);
    List<WorkloadInstance> instances = new ArrayList<>(registryInstances);
    for (Resource r : config) {
      switch (r.kind()) {
        case VIRTUAL_SERVICE -> vs.add(r);
        case DESTINATION_RULE -> dr.add(r);
        case GATEWAY -> gw.add(r);
        case SERVICE_ENTRY -> {
          all.addAll(ServiceEntries.services(r));
          instances.addAll(ServiceEntries.instances(r));
        }
        default -> { }
      }
    }
    vs.sort(BY_NAME);
    dr.sort(BY_NAME);
    gw.sort(BY_NAME);
    Map<String, MeshService> byHost = new LinkedHashMap<>();
    all.stream().sorted(Comparator.comparing(MeshService::hostname))
        .forEach(s -> byHost.putIfAbsent(s.hostname(), s));
    instances.sort(Comparator.comparing(WorkloadInstance::key));
    Map<String, List<WorkloadInstance>> byNamespace = new HashMap<>();
    for (WorkloadInstance w : instances) {
      byNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w);
    }
    Map<String, List<WorkloadInstance>> perService = new HashMap<>();
    for (WorkloadInstance w : instances) {
      for (String host : w.services()) {
        perService.computeIfAbsent(host, k -> new ArrayList<>()).add(w);
      }
    }
    Map<String, List<WorkloadInstance>> selected = new HashMap<>();
    for (MeshService s : byHost.values()) {
      List<WorkloadInstance> out = new ArrayList<>(perService.getOrDefault(s.hostname(), List.of()));
      Map<String, String> sel = s.selector();
      if (sel != null && !sel.isEmpty()) {
        for (WorkloadInstance w : byNamespace.getOrDefault(s.namespace(), List.of())) {
          if (w.services().isEmpty() && Labels.matches(sel, w.labels())) {
            out.add(w);
          }
        }
      }
      selected.put(s.hostname(), List.copyOf(out));
    }
    Map<String, List<String>> byAddress = new HashMap<>();
    for (var e : selected.entrySet()) {
      for (WorkloadInstance w : e.getValue()) {
        byAddress.computeIfAbsent(w.address(), k -> new ArrayList<>()).add(e.getKey());
      }
    }
    byAddress.replaceAll((k, v) -> List.copyOf(new java.util.TreeSet<>(v)));
    return new MeshSnapshot(version, "cluster.local", "istio-system", byHost, selected, instances, vs, dr, gw,
        byAddress);
  }

  /** The service with this hostname, or {@code null}. */
  public @Nullable MeshService service(String hostname) {
    return services.get(hostname);
  }

  /** The instances behind a service (any health). */
  public List<WorkloadInstance> instancesOf(String hostname) {
    return instances.getOrDefault(hostname, List.of());
  }

  /**
   * The port an instance serves a service port on: a named port of the instance with the service
   * port's name (WorkloadEntry {@code ports}), the named target port, or the target number; -1
   * when a named target port is missing.
   */
  public static int endpointPort(ServicePort sp, WorkloadInstance w) {
    Integer byName = sp.name().isEmpty() ? null : w.ports().get(sp.name());
    if (byName != null) {
      return byName;
    }
    if (!sp.targetPortName().isEmpty()) {
      Integer t = w.ports().get(sp.targetPortName());
      return t == null ? -1 : t;
    }
    return sp.targetPort() == 0 ? sp.port() : sp.targetPort();
  }

  /** All resources of a kind (tests and debugging). */
  public List<Resource> config(ResourceKind kind) {
    return switch (kind) {
      case VIRTUAL_SERVICE -> virtualServices;
      case DESTINATION_RULE -> destinationRules;
      case GATEWAY -> gateways;
      default -> List.of();
    };
  }
}
