package dev.sluice.translate;

import dev.sluice.config.Resource;
import dev.sluice.config.istio.DestinationRule;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.ServicePort;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Builds CDS: per visible service port an {@code outbound|port||host} cluster and one per
 * DestinationRule subset, with the merged traffic policy; {@code inbound|port||} clusters for the
 * services the proxy itself serves; and istiod's {@code BlackHoleCluster} and (for iptables
 * capture) {@code PassthroughCluster}.
 */
final class ClusterTranslator {
  private ClusterTranslator() {}

  static final ConfigSource ADS = ConfigSource.newBuilder()
      .setAds(AggregatedConfigSource.getDefaultInstance())
      .setInitialFetchTimeout(Durations.ZERO)
      .setResourceApiVersion(ApiVersion.V3)
      .build();

  /** The clusters of {@code view}'s proxy, sorted by name. */
  static List<Cluster> buildClusters(ProxyView view) {
    List<Cluster> out = new ArrayList<>(buildShared(view));
    out.addAll(buildInbound(view));
    out.sort(java.util.Comparator.comparing(Cluster::getName));
    return out;
  }

  /** The clusters that depend only on the proxy's view (everything but inbound), sorted by name. */
  static List<Cluster> buildShared(ProxyView view) {
    List<Cluster> out = new ArrayList<>();
    for (MeshService s : view.services) {
      for (ServicePort p : s.ports()) {
        SharedTranslations shared = view.shared;
        out.addAll(shared == null ? buildOutbound(view, s, p)
            : shared.outbound(s.hostname(), p.port(), view.destinationRule(s.hostname(), s.namespace()),
                () -> buildOutbound(view, s, p)));
      }
    }
    ProxyNode node = view.node;
    if (!node.isGrpc()) {
      out.add(Cluster.newBuilder().setName(Names.BLACK_HOLE).setType(Cluster.DiscoveryType.STATIC)
          .setConnectTimeout(Durations.seconds(10))
          .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(Names.BLACK_HOLE)).build());
      if (node.type() == ProxyNode.Type.SIDECAR && !node.explicitCapture()) {
        out.add(Cluster.newBuilder().setName(Names.PASSTHROUGH).setType(Cluster.DiscoveryType.ORIGINAL_DST)
            .setConnectTimeout(Durations.seconds(10)).setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
            .setCircuitBreakers(unlimited()).build());
      }
    }
    out.sort(java.util.Comparator.comparing(Cluster::getName));
    return out;
  }

  /** The outbound clusters of one service port: the default one and one per subset. */
  static List<Cluster> buildOutbound(ProxyView view, MeshService s, ServicePort p) {
    Resource drRes = view.destinationRule(s.hostname(), s.namespace());
    DestinationRule dr = drRes == null ? null : (DestinationRule) drRes.spec();
    List<Cluster> out = new ArrayList<>();
    out.add(build(view, s, p, null, TrafficPolicies.effective(dr, null, p.port())));
    if (drRes != null) {
      // istioctl's proxy-config reads the DestinationRule from here (DESTINATION RULE column).
      var md = io.envoyproxy.envoy.config.core.v3.Metadata.newBuilder().putFilterMetadata("istio",
          com.google.protobuf.Struct.newBuilder().putFields("config", com.google.protobuf.Value.newBuilder()
              .setStringValue("/apis/networking.istio.io/v1/namespaces/" + drRes.namespace() + "/destination-rule/"
                  + drRes.name()).build()).build()).build();
      out.replaceAll(c -> c.toBuilder().setMetadata(md).build());
    }
    if (dr != null) {
      Set<String> seen = new TreeSet<>();
      for (DestinationRule.Subset subset : dr.subsets()) {
        if (!subset.nameOrEmpty().isEmpty() && seen.add(subset.nameOrEmpty())) {
          out.add(build(view, s, p, subset, TrafficPolicies.effective(dr, subset, p.port())).toBuilder()
              .setMetadata(out.getFirst().getMetadata()).build());
        }
      }
    }
    return out;
  }

  private static Cluster build(ProxyView view, MeshService s, ServicePort p, DestinationRule.@Nullable Subset subset,
      TrafficPolicies.Policy policy) {
    String name = Names.outbound(p.port(), subset == null ? "" : subset.nameOrEmpty(), s.hostname());
    Cluster.Builder c = Cluster.newBuilder().setName(name);
    switch (s.resolution()) {
      case "DNS", "DNS_ROUND_ROBIN" -> {
        c.setType(s.resolution().equals("DNS") ? Cluster.DiscoveryType.STRICT_DNS : Cluster.DiscoveryType.LOGICAL_DNS);
        c.setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY);
        c.setLoadAssignment(EndpointTranslator.buildDns(view.mesh, s, p, subset, name));
      }
      case "NONE" -> c.setType(Cluster.DiscoveryType.ORIGINAL_DST);
      default -> c.setType(Cluster.DiscoveryType.EDS)
          .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS).setServiceName(name));
    }
    TrafficPolicies.apply(c, policy, p.protocol().isHttp2());
    if (c.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
      c.setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
    }
    return c.build();
  }

  /** DNS clusters carry their endpoints inline; everything else reads EDS. */
  static boolean usesEds(Cluster c) {
    return c.getType() == Cluster.DiscoveryType.EDS;
  }

  /** {@code inbound|port||} clusters of a sidecar's own service ports. */
  static List<Cluster> buildInbound(ProxyView view) {
    if (view.node.isGrpc() || view.node.type() != ProxyNode.Type.SIDECAR) {
      return List.of();
    }
    // target port -> the services behind it, by hostname
    java.util.Map<Integer, java.util.Map<String, MeshService>> ports = new java.util.TreeMap<>();
    for (InboundPorts.InboundPort ip : InboundPorts.of(view)) {
      ports.computeIfAbsent(ip.targetPort(), p -> new java.util.TreeMap<>())
          .putIfAbsent(ip.service().hostname(), ip.service());
    }
    List<Cluster> out = new ArrayList<>();
    for (var e : ports.entrySet()) {
      int port = e.getKey();
      String name = Names.inbound(port);
      out.add(Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.STATIC)
          .setConnectTimeout(Durations.seconds(10)).setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
          .setCircuitBreakers(unlimited())
          .setMetadata(servicesMetadata(e.getValue().values()))
          .setLoadAssignment(EndpointTranslator.loopback(name, view.node.appPort(port))).build());
    }
    return out;
  }

  /**
   * istiod's {@code filter_metadata.istio.services} of an inbound cluster: one {@code {host, name,
   * namespace}} per service, which Istio's stats filter reads for the destination service labels.
   */
  static io.envoyproxy.envoy.config.core.v3.Metadata servicesMetadata(java.util.Collection<MeshService> services) {
    var list = com.google.protobuf.ListValue.newBuilder();
    for (MeshService s : services) {
      list.addValues(com.google.protobuf.Value.newBuilder().setStructValue(com.google.protobuf.Struct.newBuilder()
          .putFields("host", str(s.hostname()))
          .putFields("name", str(s.name()))
          .putFields("namespace", str(s.namespace()))));
    }
    return io.envoyproxy.envoy.config.core.v3.Metadata.newBuilder().putFilterMetadata("istio",
        com.google.protobuf.Struct.newBuilder().putFields("services",
            com.google.protobuf.Value.newBuilder().setListValue(list).build()).build()).build();
  }

  private static com.google.protobuf.Value str(String v) {
    return com.google.protobuf.Value.newBuilder().setStringValue(v).build();
  }

  static io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers unlimited() {
    var u = com.google.protobuf.UInt32Value.of(TrafficPolicies.UNLIMITED);
    return io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.newBuilder().addThresholds(
        io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.Thresholds.newBuilder()
            .setMaxConnections(u).setMaxPendingRequests(u).setMaxRequests(u).setMaxRetries(u)).build();
  }
}
