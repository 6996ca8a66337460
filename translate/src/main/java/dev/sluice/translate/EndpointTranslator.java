package dev.sluice.translate;

import com.google.protobuf.UInt32Value;
import dev.sluice.config.istio.DestinationRule;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.ServicePort;
import dev.sluice.registry.WorkloadInstance;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds EDS: one {@code ClusterLoadAssignment} per EDS cluster, with the instances of the service
 * (filtered by the subset's labels) on their endpoint ports. Every locality carries a
 * {@code load_balancing_weight} (the sum of its endpoints' weights), which gRPC's xDS client
 * requires.
 */
final class EndpointTranslator {
  private EndpointTranslator() {}

  /** Assignments for every EDS cluster among {@code clusters}. */
  static List<ClusterLoadAssignment> buildEndpoints(ProxyView view, List<Cluster> clusters) {
    List<ClusterLoadAssignment> out = new ArrayList<>();
    for (Cluster c : clusters) {
      if (ClusterTranslator.usesEds(c)) {
        out.add(buildAssignment(view, c.getName(), view.shared));
      }
    }
    return out;
  }

  /** {@link #buildAssignment(ProxyView, String)} through {@code shared} when given. */
  static ClusterLoadAssignment buildAssignment(ProxyView view, String clusterName, @Nullable SharedTranslations shared) {
    if (shared == null) {
      return buildAssignment(view, clusterName);
    }
    int bar = clusterName.lastIndexOf('|');
    String host = bar < 0 ? "" : clusterName.substring(bar + 1);
    MeshService s = view.mesh.service(host);
    var rule = s == null ? null : view.destinationRule(s.hostname(), s.namespace());
    return shared.assignment(clusterName, host, rule, () -> buildAssignment(view, clusterName));
  }

  /** The assignment of {@code outbound|port|subset|host} (empty when the cluster is unknown). */
  static ClusterLoadAssignment buildAssignment(ProxyView view, String clusterName) {
    String[] parts = clusterName.split("\\|", -1);
    ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(clusterName);
    if (parts.length != 4 || !parts[0].equals("outbound")) {
      return cla.build();
    }
    MeshService s = view.mesh.service(parts[3]);
    ServicePort sp = s == null ? null : s.port(Integer.parseInt(parts[1]));
    if (s == null || sp == null) {
      return cla.build();
    }
    Map<String, String> subsetLabels = Map.of();
    if (!parts[2].isEmpty()) {
      var drRes = view.destinationRule(s.hostname(), s.namespace());
      DestinationRule.Subset subset = drRes == null ? null : subset((DestinationRule) drRes.spec(), parts[2]);
      if (subset == null) {
        return cla.build();
      }
      subsetLabels = subset.labels();
    }
    return assignment(clusterName, view.mesh.instancesOf(s.hostname()), sp, subsetLabels);
  }

  static DestinationRule.@Nullable Subset subset(DestinationRule dr, String name) {
    for (DestinationRule.Subset s : dr.subsets()) {
      if (s.nameOrEmpty().equals(name)) {
        return s;
      }
    }
    return null;
  }

  private static ClusterLoadAssignment assignment(String name, List<WorkloadInstance> instances, ServicePort sp,
      Map<String, String> subsetLabels) {
    List<LbEndpoint> eps = new ArrayList<>();
    List<WorkloadInstance> sorted = new ArrayList<>(instances);
    sorted.sort(Comparator.comparing(WorkloadInstance::address).thenComparing(WorkloadInstance::key));
    for (WorkloadInstance w : sorted) {
      // Not-ready instances are left out, as istiod does (PILOT_SEND_UNHEALTHY_ENDPOINTS=false).
      if (!w.healthy() || !Labels.matches(subsetLabels, w.labels())) {
        continue;
      }
      int port = MeshSnapshot.endpointPort(sp, w);
      if (port <= 0) {
        continue;
      }
      eps.add(lbEndpoint(w.address(), port, w.healthy()));
    }
    ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(name);
    if (!eps.isEmpty()) {
      cla.addEndpoints(LocalityLbEndpoints.newBuilder().setLocality(Locality.getDefaultInstance())
          .addAllLbEndpoints(eps).setLoadBalancingWeight(UInt32Value.of(eps.size())));
    }
    return cla.build();
  }

  /** Inline endpoints of a DNS cluster: its instances, or the host itself. */
  static ClusterLoadAssignment buildDns(MeshSnapshot mesh, MeshService s, ServicePort sp,
      DestinationRule.@Nullable Subset subset, String name) {
    List<WorkloadInstance> instances = mesh.instancesOf(s.hostname());
    if (!instances.isEmpty()) {
      return assignment(name, instances, sp, subset == null ? Map.of() : subset.labels());
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(name)
        .addEndpoints(LocalityLbEndpoints.newBuilder().setLocality(Locality.getDefaultInstance())
            .addLbEndpoints(lbEndpoint(s.hostname(), sp.targetPort() == 0 ? sp.port() : sp.targetPort(), true))
            .setLoadBalancingWeight(UInt32Value.of(1)))
        .build();
  }

  /** A one-endpoint assignment on 127.0.0.1 (inbound clusters). */
  static ClusterLoadAssignment loopback(String name, int port) {
    return ClusterLoadAssignment.newBuilder().setClusterName(name)
        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(lbEndpoint("127.0.0.1", port, true)))
        .build();
  }

  private static LbEndpoint lbEndpoint(String address, int port, boolean healthy) {
    return LbEndpoint.newBuilder()
        .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
            .setSocketAddress(SocketAddress.newBuilder().setAddress(address).setPortValue(port))))
        .setHealthStatus(healthy ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY)
        .setLoadBalancingWeight(UInt32Value.of(1))
        .build();
  }
}
