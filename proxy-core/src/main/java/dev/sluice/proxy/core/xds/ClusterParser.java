package dev.sluice.proxy.core.xds;

import static dev.sluice.proxy.core.xds.Fields.at;
import static dev.sluice.proxy.core.xds.Fields.invalid;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.cluster.Endpoint;
import dev.sluice.proxy.core.cluster.LbPolicy;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.time.Duration;
import java.util.List;

/** Turns an Envoy {@code Cluster} into a {@link Cluster}. */
public final class ClusterParser {
  /** The key of HTTP protocol options in {@code typed_extension_protocol_options}. */
  public static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private ClusterParser() {}

  /**
   * Parses one cluster.
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public static Cluster parse(io.envoyproxy.envoy.config.cluster.v3.Cluster c) {
    Cluster.DiscoveryType type;
    if (c.getClusterDiscoveryTypeCase()
        == io.envoyproxy.envoy.config.cluster.v3.Cluster.ClusterDiscoveryTypeCase.CLUSTER_TYPE) {
      throw invalid("cluster_type", c.getClusterType().getName(), "type STATIC, EDS, STRICT_DNS or LOGICAL_DNS");
    }
    type = switch (c.getType()) {
      case STATIC -> Cluster.DiscoveryType.STATIC;
      case EDS -> Cluster.DiscoveryType.EDS;
      case STRICT_DNS -> Cluster.DiscoveryType.STRICT_DNS;
      case LOGICAL_DNS -> Cluster.DiscoveryType.LOGICAL_DNS;
      default -> throw invalid("type", c.getType(), "STATIC, EDS, STRICT_DNS or LOGICAL_DNS");
    };
    LbPolicy lb = switch (c.getLbPolicy()) {
      case ROUND_ROBIN -> LbPolicy.ROUND_ROBIN;
      case LEAST_REQUEST -> LbPolicy.LEAST_REQUEST;
      case RANDOM -> LbPolicy.RANDOM;
      case RING_HASH -> LbPolicy.RING_HASH;
      case MAGLEV -> LbPolicy.MAGLEV;
      default -> throw invalid("lb_policy", c.getLbPolicy(),
          "ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH or MAGLEV");
    };
    Duration connectTimeout = c.hasConnectTimeout()
        ? Fields.duration(c.getConnectTimeout()) : Duration.ofSeconds(5);
    List<Endpoint> endpoints = List.of();
    if (type != Cluster.DiscoveryType.EDS) {
      endpoints = at("load_assignment", () -> EndpointParser.parse(c.getLoadAssignment()).endpoints());
    }
    boolean http2 = c.hasHttp2ProtocolOptions();
    Duration idle = Duration.ofHours(1);
    if (c.hasCommonHttpProtocolOptions() && c.getCommonHttpProtocolOptions().hasIdleTimeout()) {
      idle = Fields.duration(c.getCommonHttpProtocolOptions().getIdleTimeout());
    }
    var typed = c.getTypedExtensionProtocolOptionsMap().get(HTTP_PROTOCOL_OPTIONS);
    if (typed != null) {
      HttpProtocolOptions opts;
      try {
        opts = typed.unpack(HttpProtocolOptions.class);
      } catch (InvalidProtocolBufferException e) {
        throw invalid("typed_extension_protocol_options[" + HTTP_PROTOCOL_OPTIONS + "]",
            typed.getTypeUrl(), "an HttpProtocolOptions");
      }
      if (opts.hasExplicitHttpConfig()) {
        http2 = opts.getExplicitHttpConfig().hasHttp2ProtocolOptions();
      } else if (opts.hasUseDownstreamProtocolConfig()) {
        http2 = false; // TODO(sluice): follow the downstream protocol per request
      }
      if (opts.hasCommonHttpProtocolOptions() && opts.getCommonHttpProtocolOptions().hasIdleTimeout()) {
        idle = Fields.duration(opts.getCommonHttpProtocolOptions().getIdleTimeout());
      }
    }
    Cluster.CircuitBreakers cb = Cluster.CircuitBreakers.DEFAULT;
    for (var t : c.getCircuitBreakers().getThresholdsList()) {
      if (t.getPriority() == RoutingPriority.DEFAULT) {
        cb = new Cluster.CircuitBreakers(
            t.hasMaxConnections() ? t.getMaxConnections().getValue() : 1024,
            t.hasMaxPendingRequests() ? t.getMaxPendingRequests().getValue() : 1024,
            t.hasMaxRequests() ? t.getMaxRequests().getValue() : 1024,
            t.hasMaxRetries() ? t.getMaxRetries().getValue() : 3);
      }
    }
    Cluster.HashConfig hc = at("lb_config", () -> new Cluster.HashConfig(
        c.getRingHashLbConfig().hasMinimumRingSize() ? c.getRingHashLbConfig().getMinimumRingSize().getValue() : 1024,
        c.getRingHashLbConfig().hasMaximumRingSize() ? c.getRingHashLbConfig().getMaximumRingSize().getValue() : 8 * 1024 * 1024,
        c.getMaglevLbConfig().hasTableSize() ? c.getMaglevLbConfig().getTableSize().getValue() : 65537));
    double panic = c.getCommonLbConfig().hasHealthyPanicThreshold()
        ? c.getCommonLbConfig().getHealthyPanicThreshold().getValue() : 50.0;
    int choices = c.getLeastRequestLbConfig().hasChoiceCount()
        ? c.getLeastRequestLbConfig().getChoiceCount().getValue() : 2;
    return new Cluster(c.getName(), type, c.getEdsClusterConfig().getServiceName(), lb,
        connectTimeout, endpoints, http2, idle, cb, hc, panic, choices);
  }
}
