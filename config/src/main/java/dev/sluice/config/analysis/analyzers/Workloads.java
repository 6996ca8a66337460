package dev.sluice.config.analysis.analyzers;

import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.analysis.Snapshot;
import dev.sluice.config.kube.Kube;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Whether pods and deployments are in the mesh (sidecar or ambient), as Istio's analyzers decide. */
final class Workloads {
  static final String INJECT_LABEL = "sidecar.istio.io/inject";
  static final String NAMESPACE_INJECTION = "istio-injection";
  static final String AMBIENT_REDIRECTION = "ambient.istio.io/redirection";
  static final String DATAPLANE_MODE = "istio.io/dataplane-mode";
  static final String REVISION = "istio.io/rev";
  static final String GATEWAY_MANAGED = "gateway.istio.io/managed";

  private Workloads() {}

  static boolean podInMesh(Resource pod, Snapshot s) {
    Kube.PodSpec spec = ((Kube.Pod) pod.spec()).spec();
    List<Kube.Container> containers = new ArrayList<>();
    if (spec != null) {
      containers.addAll(spec.containers());
      containers.addAll(spec.initContainers());
    }
    return inMesh(pod.meta().annotations(), pod.meta().labels(), pod.namespace(), containers, s);
  }

  static boolean deploymentInMesh(Resource deployment, Snapshot s) {
    Kube.DeploymentSpec d = ((Kube.Deployment) deployment.spec()).spec();
    Kube.PodTemplate t = d == null ? null : d.template();
    Map<String, String> labels = t == null || t.metadata() == null ? Map.of() : t.metadata().labels();
    Map<String, String> annotations = t == null || t.metadata() == null ? Map.of() : t.metadata().annotations();
    List<Kube.Container> containers = t == null || t.spec() == null ? List.of() : t.spec().containers();
    return inMesh(annotations, labels, deployment.namespace(), containers, s);
  }

  private static boolean inMesh(Map<String, String> annotations, Map<String, String> labels, String namespace,
      List<Kube.Container> containers, Snapshot s) {
    for (Kube.Container c : containers) {
      if ("istio-proxy".equals(c.name())) {
        if (c.image() != null && !c.image().isEmpty()) {
          return true;
        }
        break;
      }
    }
    if (labels.containsKey(INJECT_LABEL)) {
      return "true".equals(labels.get(INJECT_LABEL));
    }
    if (annotations.containsKey(INJECT_LABEL)) {
      return "true".equals(annotations.get(INJECT_LABEL));
    }
    Optional<Resource> ns = s.find(ResourceKind.NAMESPACE, "", namespace);
    return ns.isPresent() && "enabled".equals(ns.get().meta().labels().get(NAMESPACE_INJECTION));
  }

  static boolean podInAmbient(Resource pod) {
    return "enabled".equals(pod.meta().annotations().get(AMBIENT_REDIRECTION));
  }

  static boolean namespaceInAmbient(Optional<Resource> ns) {
    if (ns.isEmpty()) {
      return false;
    }
    Map<String, String> labels = ns.get().meta().labels();
    if ("enabled".equals(labels.get(NAMESPACE_INJECTION))) {
      return false;
    }
    String rev = labels.get(REVISION);
    if (rev != null && !rev.isEmpty()) {
      return false;
    }
    return "ambient".equals(labels.get(DATAPLANE_MODE));
  }
}
