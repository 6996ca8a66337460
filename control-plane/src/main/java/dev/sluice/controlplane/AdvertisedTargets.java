package dev.sluice.controlplane;

import dev.sluice.dashboard.ScrapeTarget;
import dev.sluice.translate.ProxyNode;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Scrape targets from connected proxies' node metadata: each proxy that advertises its Prometheus
 * endpoint under {@code SLUICE_PROMETHEUS_URL} (sluice-proxy does by default), with its pod
 * (metadata {@code NAME}, else the workload part of Istio's node id), namespace and app (label
 * {@code app}, else {@code service.istio.io/canonical-name}, else the pod). Pure functions.
 */
final class AdvertisedTargets {
  /** The node metadata key (the proxy's {@code ProxyServer.PROMETHEUS_URL_KEY}). */
  static final String KEY = "SLUICE_PROMETHEUS_URL";

  private AdvertisedTargets() {}

  /** The targets the nodes advertise; a value that is not an {@code http://host:port/path} URL is skipped. */
  static List<ScrapeTarget> of(List<Node> nodes) {
    List<ScrapeTarget> out = new ArrayList<>();
    for (Node n : nodes) {
      var v = n.getMetadata().getFieldsMap().get(KEY);
      if (v == null || !v.hasStringValue() || v.getStringValue().isEmpty()) {
        continue;
      }
      ProxyNode pn = ProxyNode.fromNode(n);
      var name = n.getMetadata().getFieldsMap().get("NAME");
      String pod = name != null && name.hasStringValue() && !name.getStringValue().isEmpty() ? name.getStringValue()
          : !pn.workload().isEmpty() ? pn.workload() : n.getId();
      String app = pn.labels().getOrDefault("app", pn.labels().getOrDefault("service.istio.io/canonical-name", pod));
      try {
        out.add(new ScrapeTarget(URI.create(v.getStringValue()), pod, pn.namespace(), app));
      } catch (IllegalArgumentException e) {
        // not a URL: the proxy is not listed, as with any unusable metadata
      }
    }
    return out;
  }

  /** The platform's targets, then advertised ones at URLs the platform does not list. */
  static List<ScrapeTarget> merge(List<ScrapeTarget> platform, List<ScrapeTarget> advertised) {
    List<ScrapeTarget> out = new ArrayList<>(platform);
    Set<URI> seen = new LinkedHashSet<>();
    platform.forEach(t -> seen.add(t.url()));
    for (ScrapeTarget t : advertised) {
      if (seen.add(t.url())) {
        out.add(t);
      }
    }
    return out;
  }
}
