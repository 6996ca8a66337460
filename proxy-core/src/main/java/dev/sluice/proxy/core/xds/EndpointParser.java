package dev.sluice.proxy.core.xds;

import static dev.sluice.proxy.core.xds.Fields.at;
import static dev.sluice.proxy.core.xds.Fields.invalid;

import dev.sluice.proxy.core.cluster.ClusterLoadAssignment;
import dev.sluice.proxy.core.cluster.Endpoint;
import dev.sluice.proxy.core.cluster.HealthStatus;
import java.util.ArrayList;
import java.util.List;

/** Turns an Envoy {@code ClusterLoadAssignment} into a {@link ClusterLoadAssignment}. */
public final class EndpointParser {
  private EndpointParser() {}

  /**
   * Parses one assignment.
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public static ClusterLoadAssignment parse(
      io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment cla) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < cla.getEndpointsCount(); i++) {
      var locality = cla.getEndpoints(i);
      if (locality.hasLoadBalancingWeight() && locality.getLoadBalancingWeight().getValue() == 0) {
        continue; // a zero-weight locality takes no traffic
      }
      for (int j = 0; j < locality.getLbEndpointsCount(); j++) {
        var lbe = locality.getLbEndpoints(j);
        String field = "endpoints[" + i + "].lb_endpoints[" + j + "]";
        out.add(at(field, () -> {
          if (!lbe.hasEndpoint()) {
            throw invalid("endpoint", "unset", "an endpoint (named endpoints are not supported)");
          }
          var addr = lbe.getEndpoint().getAddress();
          if (!addr.hasSocketAddress()) {
            throw invalid("endpoint.address", addr.getAddressCase(), "socket_address");
          }
          var sa = addr.getSocketAddress();
          int weight = lbe.hasLoadBalancingWeight() ? lbe.getLoadBalancingWeight().getValue() : 1;
          HealthStatus health = switch (lbe.getHealthStatus()) {
            case UNKNOWN -> HealthStatus.UNKNOWN;
            case HEALTHY -> HealthStatus.HEALTHY;
            case UNHEALTHY -> HealthStatus.UNHEALTHY;
            case DRAINING -> HealthStatus.DRAINING;
            case TIMEOUT -> HealthStatus.TIMEOUT;
            case DEGRADED -> HealthStatus.DEGRADED;
            default -> HealthStatus.UNKNOWN;
          };
          return at("endpoint.address.socket_address",
              () -> new Endpoint(sa.getAddress(), sa.getPortValue(), weight, health, locality.getPriority()));
        }));
      }
    }
    return new ClusterLoadAssignment(cla.getClusterName(), out);
  }
}
