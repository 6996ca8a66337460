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
 * @param servicesByNamespace the services of each namespace, by hostname (inbound ports scan only these)
 * @param labelScopedConfig the VirtualServices with a {@code sourceLabels} match and the
 *     DestinationRules with a {@code workloadSelector}, in sorted order: the only config whose
 *     effect depends on a proxy's labels ({@link ViewKey} scans these instead of all config)
 * @param serviceList the values of {@code services}, in order
 * @param exportedEverywhere whether no service or VirtualService restricts its {@code exportTo}
 *     (then every proxy sees all of them)
 * @param sources what the snapshot was built from (the next build compares them by identity)
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
    Map<String, List<String>> servicesByAddress,
    Map<String, List<Resource>> virtualServicesByHost,
    Map<String, List<Resource>> destinationRulesByHost,
    Map<String, List<MeshService>> servicesByNamespace,
    List<Resource> labelScopedConfig,
    List<MeshService> serviceList,
    boolean exportedEverywhere,
    Sources sources) {

  /**
   * The inputs of {@link #build}: registry services, config and instances, and the instances
   * ServiceEntries declared.
   */
  public record Sources(List<MeshService> services, List<Resource> config, List<WorkloadInstance> entryInstances,
      List<WorkloadInstance> registryInstances) {
    public Sources {
      services = List.copyOf(services);
      config = List.copyOf(config);
      entryInstances = List.copyOf(entryInstances);
      registryInstances = List.copyOf(registryInstances);
    }
  }

  /** The index key under which config for wildcard hosts ({@code *.example.com}) is kept. */
  static final String WILDCARDS = "";

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
    virtualServicesByHost = Map.copyOf(virtualServicesByHost);
    destinationRulesByHost = Map.copyOf(destinationRulesByHost);
    servicesByNamespace = Map.copyOf(servicesByNamespace);
    labelScopedConfig = List.copyOf(labelScopedConfig);
    serviceList = List.copyOf(serviceList);
    requireNonNull(sources, "sources");
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
    return build(null, registryServices, registryInstances, config, version);
  }

  /**
   * {@link #build(List, List, List, String)}, reusing {@code previous}'s service and config indexes
   * when its registry services and config are the same objects (an endpoint change: only the
   * instances are indexed again, as istiod's EDS-only pushes keep the PushContext's config).
   */
  public static MeshSnapshot build(@Nullable MeshSnapshot previous, List<MeshService> registryServices,
      List<WorkloadInstance> registryInstances, List<Resource> config, String version) {
    if (previous != null && sameElements(previous.sources().services(), registryServices)
        && sameElements(previous.sources().config(), config)) {
      Sources src = previous.sources();
      MeshSnapshot patched = withReplacedInstances(previous, registryInstances, version);
      if (patched != null) {
        return patched;
      }
      List<WorkloadInstance> instances = new ArrayList<>(registryInstances);
      instances.addAll(src.entryInstances());
      InstanceIndex ii = InstanceIndex.of(previous.services().values(), instances);
      return new MeshSnapshot(version, previous.domainSuffix(), previous.rootNamespace(), previous.services(),
          ii.selected(), instances, previous.virtualServices(), previous.destinationRules(), previous.gateways(),
          ii.byAddress(), previous.virtualServicesByHost(), previous.destinationRulesByHost(),
          previous.servicesByNamespace(), previous.labelScopedConfig(), previous.serviceList(),
          previous.exportedEverywhere(), new Sources(src.services(), src.config(), src.entryInstances(), registryInstances));
    }
    List<Resource> vs = new ArrayList<>();
    List<Resource> dr = new ArrayList<>();
    List<Resource> gw = new ArrayList<>();
    List<MeshService> all = new ArrayList<>(registryServices);
    List<WorkloadInstance> entryInstances = new ArrayList<>();
    for (Resource r : config) {
      switch (r.kind()) {
        case VIRTUAL_SERVICE -> vs.add(r);
        case DESTINATION_RULE -> dr.add(r);
        case GATEWAY -> gw.add(r);
        case SERVICE_ENTRY -> {
          all.addAll(ServiceEntries.services(r));
          entryInstances.addAll(ServiceEntries.instances(r));
        }
        default -> { }
      }
    }
    List<WorkloadInstance> instances = new ArrayList<>(registryInstances);
    instances.addAll(entryInstances);
    vs.sort(BY_NAME);
    dr.sort(BY_NAME);
    gw.sort(BY_NAME);
    Map<String, MeshService> byHost = new LinkedHashMap<>();
    all.stream().sorted(Comparator.comparing(MeshService::hostname))
        .forEach(s -> byHost.putIfAbsent(s.hostname(), s));
    InstanceIndex ii = InstanceIndex.of(byHost.values(), instances);
    Map<String, List<MeshService>> byNamespace = new HashMap<>();
    for (MeshService s : byHost.values()) {
      byNamespace.computeIfAbsent(s.namespace(), k -> new ArrayList<>()).add(s);
    }
    byNamespace.replaceAll((k, v) -> List.copyOf(v));
    return new MeshSnapshot(version, "cluster.local", "istio-system", byHost, ii.selected(), instances, vs, dr, gw,
        ii.byAddress(), index(vs, true), index(dr, false), byNamespace, labelScoped(vs, dr), List.copyOf(byHost.values()),
        byHost.values().stream().allMatch(s -> everywhere(s.exportTo()))
            && vs.stream().allMatch(r -> everywhere(((dev.sluice.config.istio.VirtualService) r.spec()).exportTo())),
        new Sources(registryServices, config, entryInstances, registryInstances));
  }

  /** More changed instances than this are indexed again from scratch. */
  private static final int MAX_PATCHED_INSTANCES = 64;

  /**
   * {@code previous} with a few registry instances replaced in place, or null when that is not
   * possible. An endpoint change (readiness, a port) usually leaves everything that decides which
   * services select an instance as it was: then each changed instance simply takes its
   * predecessor's place in the lists of its services, and re-indexing all instances (a sort and a
   * label index of 10,000) is skipped. Registries keep unchanged instances at the same positions of
   * their list, so the changed ones are found by identity.
   */
  private static @Nullable MeshSnapshot withReplacedInstances(MeshSnapshot previous,
      List<WorkloadInstance> registryInstances, String version) {
    List<WorkloadInstance> before = previous.sources().registryInstances();
    if (before.size() != registryInstances.size()) {
      return null;
    }
    List<WorkloadInstance> all = null;
    Map<String, List<WorkloadInstance>> selected = null;
    int changes = 0;
    for (int i = 0; i < before.size(); i++) {
      WorkloadInstance was = before.get(i);
      WorkloadInstance now = registryInstances.get(i);
      if (was == now) {
        continue;
      }
      if (++changes > MAX_PATCHED_INSTANCES || !sameSelection(was, now)) {
        return null;
      }
      if (all == null) {
        all = new ArrayList<>(previous.allInstances());
        selected = new HashMap<>(previous.instances());
      }
      int at = indexOfIdentity(all, was);
      if (at < 0) {
        return null;
      }
      all.set(at, now);
      for (String host : previous.servicesByAddress().getOrDefault(was.address(), List.of())) {
        List<WorkloadInstance> list = selected.get(host);
        if (list != null && list.stream().anyMatch(w -> w == was)) {
          List<WorkloadInstance> next = new ArrayList<>(list);
          next.replaceAll(w -> w == was ? now : w);
          selected.put(host, List.copyOf(next));
        }
      }
    }
    Sources src = previous.sources();
    return new MeshSnapshot(version, previous.domainSuffix(), previous.rootNamespace(), previous.services(),
        selected == null ? previous.instances() : selected, all == null ? previous.allInstances() : all,
        previous.virtualServices(), previous.destinationRules(), previous.gateways(), previous.servicesByAddress(),
        previous.virtualServicesByHost(), previous.destinationRulesByHost(), previous.servicesByNamespace(),
        previous.labelScopedConfig(), previous.serviceList(), previous.exportedEverywhere(),
        new Sources(src.services(), src.config(), src.entryInstances(), registryInstances));
  }

  /** Whether both select the same services at the same address (only e.g. health or ports differ). */
  private static boolean sameSelection(WorkloadInstance a, WorkloadInstance b) {
    return a.name().equals(b.name()) && a.namespace().equals(b.namespace()) && a.address().equals(b.address())
        && a.labels().equals(b.labels()) && a.services().equals(b.services());
  }

  /** The position of {@code w} itself in {@code all} (sorted by key), or -1. */
  private static int indexOfIdentity(List<WorkloadInstance> all, WorkloadInstance w) {
    int lo = 0;
    int hi = all.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (compareKey(all.get(mid), w.namespace(), w.name()) < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    for (int i = lo; i < all.size() && compareKey(all.get(i), w.namespace(), w.name()) == 0; i++) {
      if (all.get(i) == w) {
        return i;
      }
    }
    return -1;
  }

  private static boolean sameElements(List<?> a, List<?> b) {
    if (a == b) {
      return true;
    }
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The instance side of a snapshot: {@code instances} sorted by key (in place), each service's
   * instances (its selector in its namespace, plus instances bound to it), and the services at
   * each address.
   */
  private record InstanceIndex(Map<String, List<WorkloadInstance>> selected, Map<String, List<String>> byAddress) {
    static InstanceIndex of(java.util.Collection<MeshService> services, List<WorkloadInstance> instances) {
      sortByKey(instances);
      // Instances indexed by namespace and each label, so a selector scans only the instances that
      // carry its rarest label instead of the whole namespace (1,000 services × 10,000 instances).
      Map<LabelKey, List<WorkloadInstance>> byLabel = new HashMap<>();
      for (WorkloadInstance w : instances) {
        if (!w.services().isEmpty()) {
          continue;
        }
        for (var l : w.labels().entrySet()) {
          byLabel.computeIfAbsent(new LabelKey(w.namespace(), l.getKey(), l.getValue()), k -> new ArrayList<>()).add(w);
        }
      }
      Map<String, List<WorkloadInstance>> perService = new HashMap<>();
      for (WorkloadInstance w : instances) {
        for (String host : w.services()) {
          perService.computeIfAbsent(host, k -> new ArrayList<>()).add(w);
        }
      }
      Map<String, List<WorkloadInstance>> selected = new HashMap<>();
      for (MeshService s : services) {
        List<WorkloadInstance> out = new ArrayList<>(perService.getOrDefault(s.hostname(), List.of()));
        Map<String, String> sel = s.selector();
        if (sel != null && !sel.isEmpty()) {
          List<WorkloadInstance> candidates = null;
          for (var l : sel.entrySet()) {
            List<WorkloadInstance> c = byLabel.getOrDefault(new LabelKey(s.namespace(), l.getKey(), l.getValue()), List.of());
            if (candidates == null || c.size() < candidates.size()) {
              candidates = c;
            }
          }
          for (WorkloadInstance w : candidates) {
            if (Labels.matches(sel, w.labels())) {
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
      byAddress.replaceAll((k, v) -> v.size() == 1 ? List.of(v.getFirst()) : List.copyOf(new java.util.TreeSet<>(v)));
      return new InstanceIndex(selected, byAddress);
    }
  }

  private static boolean everywhere(List<String> exportTo) {
    return exportTo.isEmpty() || exportTo.contains("*");
  }

  /** The services of a namespace, sorted by hostname. */
  public List<MeshService> servicesIn(String namespace) {
    return servicesByNamespace.getOrDefault(namespace, List.of());
  }

  private static List<Resource> labelScoped(List<Resource> vs, List<Resource> dr) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : vs) {
      var spec = (dev.sluice.config.istio.VirtualService) r.spec();
      boolean scoped = spec.tcp().stream().anyMatch(t -> t.match().stream().anyMatch(m -> !m.sourceLabels().isEmpty()))
          || spec.http().stream().anyMatch(h -> h.match().stream().anyMatch(m -> !m.sourceLabels().isEmpty()));
      if (scoped) {
        out.add(r);
      }
    }
    for (Resource r : dr) {
      if (((dev.sluice.config.istio.DestinationRule) r.spec()).workloadSelector() != null) {
        out.add(r);
      }
    }
    return out;
  }

  /** One label of the instances of one namespace (an index key; no string concatenation per instance). */
  private record LabelKey(String namespace, String key, String value) {}

  /** Sorts by {@link WorkloadInstance#key}, computing each key once (not twice per comparison). */
  private static void sortByKey(List<WorkloadInstance> instances) {
    record Keyed(String key, WorkloadInstance instance) {}
    List<Keyed> keyed = new ArrayList<>(instances.size());
    for (WorkloadInstance w : instances) {
      keyed.add(new Keyed(w.key(), w));
    }
    keyed.sort(Comparator.comparing(Keyed::key));
    for (int i = 0; i < keyed.size(); i++) {
      instances.set(i, keyed.get(i).instance());
    }
  }

  /**
   * {@code w.key().compareTo(key)} without building {@code w.key()}: namespaces and names hold no
   * {@code /}, so the key splits at its first one into {@code keyNamespace} and {@code keyName}.
   */
  private static int compareKey(WorkloadInstance w, String keyNamespace, String keyName) {
    String ns = w.namespace();
    if (ns.length() == keyNamespace.length()) {
      int c = ns.compareTo(keyNamespace);
      return c != 0 ? c : w.name().compareTo(keyName);
    }
    int common = Math.min(ns.length(), keyNamespace.length());
    if (!ns.regionMatches(0, keyNamespace, 0, common)) {
      return ns.compareTo(keyNamespace); // they differ within the shorter one
    }
    // One namespace is a prefix of the other: the shorter one's '/' meets the longer one's next char.
    return ns.length() < keyNamespace.length() ? '/' - keyNamespace.charAt(common) : ns.charAt(common) - '/';
  }

  /** Config by resolved host (wildcard hosts under {@link #WILDCARDS}), in sorted order. */
  private static Map<String, List<Resource>> index(List<Resource> config, boolean virtualServices) {
    Map<String, List<Resource>> out = new HashMap<>();
    for (Resource r : config) {
      List<String> hosts = virtualServices ? ((dev.sluice.config.istio.VirtualService) r.spec()).hosts()
          : List.of(((dev.sluice.config.istio.DestinationRule) r.spec()).hostOrEmpty());
      java.util.Set<String> keys = new java.util.LinkedHashSet<>();
      for (String h : hosts) {
        String f = Hosts.fqdn(h, r.namespace(), "cluster.local");
        keys.add(f.startsWith("*") ? WILDCARDS : f);
      }
      for (String k : keys) {
        out.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
      }
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return out;
  }

  /** Config that may apply to {@code host}: exact entries, then wildcard ones, each in sorted order. */
  List<Resource> candidates(Map<String, List<Resource>> index, String host) {
    List<Resource> exact = index.getOrDefault(host, List.of());
    List<Resource> wild = index.getOrDefault(WILDCARDS, List.of());
    if (wild.isEmpty()) {
      return exact;
    }
    List<Resource> out = new ArrayList<>(exact);
    out.addAll(wild);
    return out;
  }

  /** The service with this hostname, or {@code null}. */
  public @Nullable MeshService service(String hostname) {
    return services.get(hostname);
  }

  /** The registry instance with this {@code namespace/name} key, or {@code null}. */
  public @Nullable WorkloadInstance instance(String key) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String keyNamespace = key.substring(0, slash);
    String keyName = key.substring(slash + 1);
    int lo = 0;
    int hi = allInstances.size() - 1;
    while (lo <= hi) { // allInstances is sorted by key
      int mid = (lo + hi) >>> 1;
      int cmp = compareKey(allInstances.get(mid), keyNamespace, keyName);
      if (cmp == 0) {
        return allInstances.get(mid);
      } else if (cmp < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return null;
  }

  /** The instances behind a service (any health). */
  public List<WorkloadInstance> instancesOf(String hostname) {
    return instances.getOrDefault(hostname, List.of());
  }

  /**
   * The port an endpoint of {@code w} is reached at for a service port: its {@link #workloadPort}
   * through the instance's published ports (the local platform's sidecar inbound listeners); -1
   * when a named target port is missing.
   */
  public static int endpointPort(ServicePort sp, WorkloadInstance w) {
    int port = workloadPort(sp, w);
    return port <= 0 ? port : w.publishedPort(port);
  }

  /**
   * The port an instance serves a service port on: a named port of the instance with the service
   * port's name (WorkloadEntry {@code ports}), the named target port, or the target number; -1
   * when a named target port is missing.
   */
  public static int workloadPort(ServicePort sp, WorkloadInstance w) {
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
