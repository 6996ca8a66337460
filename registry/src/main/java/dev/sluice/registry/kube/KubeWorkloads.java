package dev.sluice.registry.kube;

import dev.sluice.config.Resource;
import dev.sluice.config.istio.WorkloadEntry;
import dev.sluice.config.kube.IntOrString;
import dev.sluice.config.kube.Kube;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.Protocol;
import dev.sluice.registry.ServicePort;
import dev.sluice.registry.WorkloadInstance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Kubernetes Services, Deployments and Pods, and Istio WorkloadEntries, into registry
 * records. Pure and deterministic: Deployment replicas get stable pod-like names ({@code
 * reviews-v2-5c8b7d6f9a-0}) and, in {@link #instances}, addresses from {@code 10.244.0.0/16} in
 * sorted order, so that golden files do not change between runs.
 *
 * <pre>{@code
 * List<MeshService> services = KubeWorkloads.services(resources, "cluster.local");
 * List<WorkloadInstance> pods = KubeWorkloads.instances(resources);
 * }</pre>
 */
public final class KubeWorkloads {
  private KubeWorkloads() {}

  /** The Services among {@code resources}, as mesh services. */
  public static List<MeshService> services(List<Resource> resources, String domainSuffix) {
    List<MeshService> out = new ArrayList<>();
    for (Resource r : resources) {
      if (r.spec() instanceof Kube.Service svc) {
        out.add(service(r, svc, domainSuffix));
      }
    }
    out.sort(Comparator.comparing(MeshService::hostname));
    return out;
  }

  /** One Kubernetes Service. */
  public static MeshService service(Resource r, Kube.Service svc, String domainSuffix) {
    String ns = r.namespace().isEmpty() ? "default" : r.namespace();
    Kube.ServiceSpec spec = svc.specOrEmpty();
    List<ServicePort> ports = new ArrayList<>();
    for (Kube.ServicePort p : spec.ports()) {
      if (p.portOrZero() < 1) {
        continue;
      }
      IntOrString t = p.targetPortOrDefault();
      ports.add(new ServicePort(p.nameOrEmpty(), p.portOrZero(),
          Protocol.ofServicePort(p.name(), p.appProtocol(), p.protocol()),
          t.isInt() ? t.intValue() : 0, t.isInt() ? "" : t.toString()));
    }
    String ip = spec.clusterIP() == null || spec.clusterIP().equalsIgnoreCase("None") ? "" : spec.clusterIP();
    return new MeshService(r.name() + "." + ns + ".svc." + domainSuffix, r.name(), ns, ports,
        spec.selector(), ip, List.of(), MeshService.Origin.KUBERNETES, "STATIC", false);
  }

  /**
   * Workload instances of the Deployments, Pods and WorkloadEntries among {@code resources}.
   * Deployments and Pods without an address get one from {@code 10.244.0.0/16}, in sorted order.
   */
  public static List<WorkloadInstance> instances(List<Resource> resources) {
    Map<String, WorkloadInstance> byKey = new LinkedHashMap<>();
    List<WorkloadInstance> unaddressed = new ArrayList<>();
    for (Resource r : resources) {
      String ns = r.namespace().isEmpty() ? "default" : r.namespace();
      switch (r.spec()) {
        case Kube.Deployment d when d.spec() != null -> {
          Kube.DeploymentSpec spec = d.spec();
          Kube.PodTemplate t = spec.template();
          Map<String, String> labels = t == null || t.metadata() == null ? Map.of() : t.metadata().labels();
          String hash = hash(ns + "/" + r.name());
          for (int i = 0; i < spec.replicasOrDefault(); i++) {
            unaddressed.add(new WorkloadInstance(r.name() + "-" + hash + "-" + i, ns, "0.0.0.0", labels,
                serviceAccount(t == null ? null : t.spec()), containerPorts(t == null ? null : t.spec()), true,
                List.of()));
          }
        }
        case Kube.Pod p -> unaddressed.add(new WorkloadInstance(r.name(), ns, "0.0.0.0", r.meta().labels(),
            serviceAccount(p.spec()), containerPorts(p.spec()), true, List.of()));
        case WorkloadEntry we when !we.addressOrEmpty().isEmpty() -> {
          WorkloadInstance w = workloadEntry(r.name(), ns, we, List.of());
          byKey.put(w.key(), w);
        }
        default -> { }
      }
    }
    unaddressed.sort(Comparator.comparing(WorkloadInstance::key));
    int i = 0;
    for (WorkloadInstance w : unaddressed) {
      byKey.put(w.key(), w.withAddress("10.244." + (i / 250) + "." + (i % 250 + 2)));
      i++;
    }
    List<WorkloadInstance> out = new ArrayList<>(byKey.values());
    out.sort(Comparator.comparing(WorkloadInstance::key));
    return out;
  }

  /** A WorkloadEntry (standalone, or inline in a ServiceEntry with {@code services} set). */
  public static WorkloadInstance workloadEntry(String name, String namespace, WorkloadEntry we,
      List<String> services) {
    return new WorkloadInstance(name, namespace, we.addressOrEmpty(), we.labels(),
        we.serviceAccount() == null ? "default" : we.serviceAccount(), we.ports(), true, services);
  }

  private static String serviceAccount(Kube.@org.jspecify.annotations.Nullable PodSpec spec) {
    if (spec == null) {
      return "default";
    }
    if (spec.serviceAccountName() != null && !spec.serviceAccountName().isEmpty()) {
      return spec.serviceAccountName();
    }
    return spec.serviceAccount() == null || spec.serviceAccount().isEmpty() ? "default" : spec.serviceAccount();
  }

  private static Map<String, Integer> containerPorts(Kube.@org.jspecify.annotations.Nullable PodSpec spec) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (spec != null) {
      for (Kube.Container c : spec.containers()) {
        for (Kube.ContainerPort p : c.ports()) {
          if (p.name() != null && p.containerPort() != null) {
            out.put(p.name(), p.containerPort());
          }
        }
      }
    }
    return out;
  }

  /** A stable 10-character lower-case hash, like a ReplicaSet's pod-template-hash. */
  static String hash(String s) {
    long h = 1125899906842597L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h = 31 * h + b;
    }
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder();
    long v = h & Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      sb.append(alphabet.charAt((int) (v % alphabet.length())));
      v /= alphabet.length();
    }
    return sb.toString();
  }
}
