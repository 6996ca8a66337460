package dev.sluice.config.analysis;

import dev.sluice.config.ObjectMeta;
import dev.sluice.config.Origin;
import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.kube.IntOrString;
import dev.sluice.config.kube.Kube;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The objects analysis adds to the user's: the default ingress gateway, and pods of Deployments. */
final class DefaultResources {
  private DefaultResources() {}

  /**
   * What Istio's analyzer harness adds to every case: a dummy pod labelled {@code istio: ingressgateway}
   * and the ingress Service with ports 80, 443, 31400 and 15443 (target ports equal).
   */
  static List<Resource> harnessIngress(String istioNamespace, MeshConfig mesh) {
    Map<String, String> labels = Map.of("istio", "ingressgateway");
    Resource pod = pod(mesh.ingressService() + "-dummypod", istioNamespace, labels, Map.of(),
        new Kube.PodSpec(null, null, null, List.of(container(null)), List.of()), Origin.NONE);
    Resource svc = service(mesh.ingressService(), istioNamespace, Map.of(), labels, List.of(
        port("http2", 80, 80), port("https", 443, 443), port("tcp", 31400, 31400), port("tls", 15443, 15443)));
    return List.of(pod, svc);
  }

  /**
   * Istio's real default ingress gateway (as {@code istioctl install} creates it): a pod labelled
   * {@code istio: ingressgateway, app: istio-ingressgateway} and the Service mapping 80→8080 and
   * 443→8443, so that a Gateway listening on 8080 (Bookinfo's) passes.
   */
  static List<Resource> realIngress(String istioNamespace, MeshConfig mesh) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app", mesh.ingressService());
    labels.put("istio", mesh.ingressSelector());
    String name = mesh.ingressService();
    Resource pod = pod(name + "-" + hash(istioNamespace + "/" + name), istioNamespace, labels, Map.of(),
        new Kube.PodSpec(name + "-service-account", null, null, List.of(container("docker.io/istio/proxyv2")),
            List.of()), Origin.NONE);
    Resource svc = service(name, istioNamespace, labels, labels, List.of(port("status-port", 15021, 15021),
        port("http2", 80, 8080), port("https", 443, 8443), port("tcp", 31400, 31400), port("tls", 15443, 15443)));
    return List.of(pod, svc);
  }

  /** One pod per Deployment, with the template's labels, annotations and spec, in its namespace. */
  static List<Resource> podsOf(List<Resource> resources) {
    List<Resource> pods = new ArrayList<>();
    for (Resource r : resources) {
      if (!(r.spec() instanceof Kube.Deployment d) || d.spec() == null || d.spec().template() == null) {
        continue;
      }
      Kube.PodTemplate t = d.spec().template();
      Kube.TemplateMeta tm = t.metadata();
      Kube.PodSpec spec = t.spec() == null ? new Kube.PodSpec(null, null, null, List.of(), List.of()) : t.spec();
      pods.add(pod(r.name() + "-" + hash(r.namespace() + "/" + r.name()), r.namespace(),
          tm == null ? Map.of() : tm.labels(), tm == null ? Map.of() : tm.annotations(), spec,
          r.originOf("spec.template")));
    }
    return pods;
  }

  private static Resource pod(String name, String ns, Map<String, String> labels, Map<String, String> annotations,
      Kube.PodSpec spec, Origin origin) {
    return new Resource(ResourceKind.POD, "v1", new ObjectMeta(name, ns, labels, annotations), new Kube.Pod(spec),
        origin, null, null, "");
  }

  private static Kube.Container container(@org.jspecify.annotations.Nullable String image) {
    return new Kube.Container("istio-proxy", image, List.of(), List.of(), List.of(), List.of());
  }

  private static Resource service(String name, String ns, Map<String, String> labels, Map<String, String> selector,
      List<Kube.ServicePort> ports) {
    return new Resource(ResourceKind.SERVICE, "v1", new ObjectMeta(name, ns, labels, Map.of()),
        new Kube.Service(new Kube.ServiceSpec(null, selector, ports, null, null)), Origin.NONE, null, null, "");
  }

  private static Kube.ServicePort port(String name, int port, int target) {
    return new Kube.ServicePort(name, port, IntOrString.of(target), "TCP", null, null);
  }

  /** A stable 10-character suffix, in the style of a ReplicaSet's pod-template hash. */
  private static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
