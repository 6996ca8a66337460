package dev.sluice.translate;

import dev.sluice.config.Resource;
import dev.sluice.config.istio.DestinationRule;
import dev.sluice.config.istio.Gateway;
import dev.sluice.config.istio.VirtualService;
import dev.sluice.registry.MeshService;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything about a proxy that its shared (non-inbound) resources depend on. Proxies with equal
 * keys get identical shared LDS/RDS/CDS/EDS from one snapshot, so the xDS server translates and
 * encodes once per key instead of once per proxy (istiod's XdsCache does the same per resource).
 * Labels enter only through the decisions they drive: which {@code sourceLabels} matches,
 * DestinationRule {@code workloadSelector}s, Gateways and gateway Services select the proxy.
 *
 * @param decisions identifiers of the label-driven choices that hold for this proxy
 */
public record ViewKey(ProxyNode.Type type, String namespace, ProxyNode.Generator generator, int httpProxyPort,
    Set<String> decisions) {

  public ViewKey {
    decisions = Set.copyOf(decisions);
  }

  /** The key of {@code node} in {@code mesh}. */
  public static ViewKey of(MeshSnapshot mesh, ProxyNode node) {
    Set<String> d = new TreeSet<>();
    // Only label-scoped config can tell proxies of one namespace apart (the snapshot lists it).
    for (Resource r : mesh.labelScopedConfig()) {
      if (!(r.spec() instanceof VirtualService vs)) {
        continue;
      }
      for (int i = 0; i < vs.http().size(); i++) {
        var matches = vs.http().get(i).match();
        for (int j = 0; j < matches.size(); j++) {
          var m = matches.get(j);
          if (!m.sourceLabels().isEmpty() && Labels.matches(m.sourceLabels(), node.labels())) {
            d.add("vs:" + r.namespace() + "/" + r.name() + "#http" + i + "." + j);
          }
        }
      }
      for (int i = 0; i < vs.tcp().size(); i++) {
        for (var m : vs.tcp().get(i).match()) {
          if (!m.sourceLabels().isEmpty() && Labels.matches(m.sourceLabels(), node.labels())) {
            d.add("vs:" + r.namespace() + "/" + r.name() + "#tcp" + i);
          }
        }
      }
    }
    for (Resource r : mesh.labelScopedConfig()) {
      if (r.spec() instanceof DestinationRule dr && dr.workloadSelector() != null && Labels.matches(dr.workloadSelector().matchLabels(), node.labels())) {
        d.add("dr:" + r.namespace() + "/" + r.name());
      }
    }
    if (node.type() == ProxyNode.Type.ROUTER) {
      node.listenerPorts().forEach((from, to) -> d.add("port:" + from + "=" + to));
      for (Resource r : mesh.gateways()) {
        Gateway gw = (Gateway) r.spec();
        if (!gw.selector().isEmpty() && Labels.matches(gw.selector(), node.labels())) {
          d.add("gw:" + r.namespace() + "/" + r.name());
        }
      }
      for (MeshService s : mesh.services().values()) {
        if (s.selector() != null && !s.selector().isEmpty() && Labels.matches(s.selector(), node.labels())) {
          d.add("svc:" + s.hostname());
        }
      }
    }
    return new ViewKey(node.type(), node.namespace(), node.generator(), node.httpProxyPort(), d);
  }
}
