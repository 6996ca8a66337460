package dev.sluice.proxy.core.xds;

import static dev.sluice.proxy.core.xds.Fields.at;
import static dev.sluice.proxy.core.xds.Fields.invalid;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.cluster.Endpoint;
import dev.sluice.proxy.core.cluster.LbPolicy;
import dev.sluice.proxy.core.cluster.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.time.Duration;
import java.util.List;

/** Turns an Envoy {@code Cluster} into a {@link Cluster}. */
public final class ClusterParser {
  /** The key of HTTP protocol options in {@code typed_extension_protocol_options}. */
  public static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  private static final Protos.MapField<io.envoyproxy.envoy.config.cluster.v3.Cluster, com.google.protobuf.Any> TYPED_OPTIONS =
      new Protos.MapField<>(io.envoyproxy.envoy.config.cluster.v3.Cluster.class, "typedExtensionProtocolOptions_",
          io.envoyproxy.envoy.config.cluster.v3.Cluster::getTypedExtensionProtocolOptionsMap);
  private static final Protos.MapField<io.envoyproxy.envoy.config.core.v3.Metadata, com.google.protobuf.Struct> FILTER_METADATA =
      new Protos.MapField<>(io.envoyproxy.envoy.config.core.v3.Metadata.class, "filterMetadata_",
          io.envoyproxy.envoy.config.core.v3.Metadata::getFilterMetadataMap);

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
      throw invalid("cluster_type", c.getClusterType().getName(),
          "type STATIC, EDS, STRICT_DNS, LOGICAL_DNS or ORIGINAL_DST");
    }
    type = switch (c.getType()) {
      case STATIC -> Cluster.DiscoveryType.STATIC;
      case EDS -> Cluster.DiscoveryType.EDS;
      case STRICT_DNS -> Cluster.DiscoveryType.STRICT_DNS;
      case LOGICAL_DNS -> Cluster.DiscoveryType.LOGICAL_DNS;
      case ORIGINAL_DST -> Cluster.DiscoveryType.ORIGINAL_DST;
      default -> throw invalid("type", c.getType(), "STATIC, EDS, STRICT_DNS, LOGICAL_DNS or ORIGINAL_DST");
    };
    boolean originalDst = type == Cluster.DiscoveryType.ORIGINAL_DST;
    LbPolicy lb = originalDst ? LbPolicy.ROUND_ROBIN : switch (c.getLbPolicy()) {
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
    if (originalDst) {
      // Envoy: CLUSTER_PROVIDED (istiod's choice) or ORIGINAL_DST_LB; no load_assignment.
      if (c.getLbPolicy() != io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy.CLUSTER_PROVIDED
          && c.getLbPolicy() != io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy.ROUND_ROBIN) {
        throw invalid("lb_policy", c.getLbPolicy(), "CLUSTER_PROVIDED for an ORIGINAL_DST cluster");
      }
      if (c.getLoadAssignment().getEndpointsCount() > 0) {
        throw invalid("load_assignment", "endpoints", "none for an ORIGINAL_DST cluster");
      }
    } else if (type != Cluster.DiscoveryType.EDS) {
      endpoints = at("load_assignment", () -> EndpointParser.parse(c.getLoadAssignment()).endpoints());
    }
    boolean http2 = c.hasHttp2ProtocolOptions();
    Duration idle = Duration.ofHours(1);
    long maxRequestsPerConnection = c.hasMaxRequestsPerConnection()
        ? Integer.toUnsignedLong(c.getMaxRequestsPerConnection().getValue()) : 0;
    Duration maxConnectionDuration = Duration.ZERO;
    long maxStreams = c.getHttp2ProtocolOptions().hasMaxConcurrentStreams()
        ? Integer.toUnsignedLong(c.getHttp2ProtocolOptions().getMaxConcurrentStreams().getValue()) : 2147483647L;
    io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions common = null;
    if (c.hasCommonHttpProtocolOptions()) {
      common = c.getCommonHttpProtocolOptions();
    }
    var typed = TYPED_OPTIONS.get(c).get(HTTP_PROTOCOL_OPTIONS);
    if (typed != null) {
      HttpProtocolOptions opts;
      try {
        opts = Protos.unpack(typed, "type.googleapis.com/" + HTTP_PROTOCOL_OPTIONS, HttpProtocolOptions.parser());
      } catch (InvalidProtocolBufferException e) {
        throw invalid("typed_extension_protocol_options[" + HTTP_PROTOCOL_OPTIONS + "]",
            typed.getTypeUrl(), "an HttpProtocolOptions");
      }
      if (opts.hasExplicitHttpConfig()) {
        http2 = opts.getExplicitHttpConfig().hasHttp2ProtocolOptions();
        var h2 = opts.getExplicitHttpConfig().getHttp2ProtocolOptions();
        if (h2.hasMaxConcurrentStreams()) {
          maxStreams = Integer.toUnsignedLong(h2.getMaxConcurrentStreams().getValue());
        }
      } else if (opts.hasUseDownstreamProtocolConfig()) {
        http2 = false; // TODO(sluice): follow the downstream protocol per request
      }
      if (opts.hasCommonHttpProtocolOptions()) {
        common = opts.getCommonHttpProtocolOptions();
      }
    }
    if (common != null) {
      if (common.hasIdleTimeout()) {
        idle = Fields.duration(common.getIdleTimeout());
      }
      if (common.hasMaxRequestsPerConnection()) {
        maxRequestsPerConnection = Integer.toUnsignedLong(common.getMaxRequestsPerConnection().getValue());
      }
      if (common.hasMaxConnectionDuration()) {
        maxConnectionDuration = Fields.duration(common.getMaxConnectionDuration());
      }
    }
    Cluster.TcpKeepalive keepalive = null;
    if (c.getUpstreamConnectionOptions().hasTcpKeepalive()) {
      var k = c.getUpstreamConnectionOptions().getTcpKeepalive();
      keepalive = new Cluster.TcpKeepalive(
          k.hasKeepaliveProbes() ? k.getKeepaliveProbes().getValue() : 0,
          Duration.ofSeconds(k.hasKeepaliveTime() ? Integer.toUnsignedLong(k.getKeepaliveTime().getValue()) : 0),
          Duration.ofSeconds(k.hasKeepaliveInterval() ? Integer.toUnsignedLong(k.getKeepaliveInterval().getValue()) : 0));
    }
    long streams = maxStreams;
    long perConnection = maxRequestsPerConnection;
    Duration duration = maxConnectionDuration;
    Cluster.TcpKeepalive ka = keepalive;
    Cluster.ConnectionPool pool = at("http2_protocol_options", () ->
        new Cluster.ConnectionPool(perConnection, duration, ka, streams));
    Cluster.CircuitBreakers cb = Cluster.CircuitBreakers.DEFAULT;
    for (var t : c.getCircuitBreakers().getThresholdsList()) {
      if (t.getPriority() == RoutingPriority.DEFAULT) {
        Cluster.RetryBudget budget = null;
        if (t.hasRetryBudget()) {
          var b = t.getRetryBudget();
          budget = at("circuit_breakers.thresholds.retry_budget", () -> new Cluster.RetryBudget(
              b.hasBudgetPercent() ? b.getBudgetPercent().getValue() : 20.0,
              b.hasMinRetryConcurrency() ? Integer.toUnsignedLong(b.getMinRetryConcurrency().getValue()) : 3));
        }
        cb = new Cluster.CircuitBreakers(
            t.hasMaxConnections() ? Integer.toUnsignedLong(t.getMaxConnections().getValue()) : 1024,
            t.hasMaxPendingRequests() ? Integer.toUnsignedLong(t.getMaxPendingRequests().getValue()) : 1024,
            t.hasMaxRequests() ? Integer.toUnsignedLong(t.getMaxRequests().getValue()) : 1024,
            t.hasMaxRetries() ? Integer.toUnsignedLong(t.getMaxRetries().getValue()) : 3,
            budget);
      }
    }
    OutlierDetection od = c.hasOutlierDetection()
        ? at("outlier_detection", () -> outlierDetection(c.getOutlierDetection())) : null;
    Cluster.HashConfig hc = at("lb_config", () -> new Cluster.HashConfig(
        c.getRingHashLbConfig().hasMinimumRingSize() ? c.getRingHashLbConfig().getMinimumRingSize().getValue() : 1024,
        c.getRingHashLbConfig().hasMaximumRingSize() ? c.getRingHashLbConfig().getMaximumRingSize().getValue() : 8 * 1024 * 1024,
        c.getMaglevLbConfig().hasTableSize() ? c.getMaglevLbConfig().getTableSize().getValue() : 65537));
    double panic = c.getCommonLbConfig().hasHealthyPanicThreshold()
        ? c.getCommonLbConfig().getHealthyPanicThreshold().getValue() : 50.0;
    int choices = c.getLeastRequestLbConfig().hasChoiceCount()
        ? c.getLeastRequestLbConfig().getChoiceCount().getValue() : 2;
    String dstHeader = "";
    if (originalDst && c.getOriginalDstLbConfig().getUseHttpHeader()) {
      dstHeader = c.getOriginalDstLbConfig().getHttpHeaderName().isEmpty()
          ? "x-envoy-original-dst-host" : c.getOriginalDstLbConfig().getHttpHeaderName();
    }
    var edsConfig = c.getEdsClusterConfig().getEdsConfig();
    Duration initialFetch = edsConfig.hasInitialFetchTimeout()
        ? at("eds_cluster_config.eds_config.initial_fetch_timeout", () -> Fields.duration(edsConfig.getInitialFetchTimeout()))
        : Cluster.DEFAULT_INITIAL_FETCH_TIMEOUT;
    return new Cluster(c.getName(), type, c.getEdsClusterConfig().getServiceName(), lb,
        connectTimeout, endpoints, http2, idle, cb, hc, panic, choices, pool, od, dstHeader, initialFetch,
        istioServices(c.getMetadata()));
  }

  /**
   * istiod's {@code metadata.filter_metadata.istio.services}: a list of {@code {host, name,
   * namespace}} structs; absent: none.
   */
  static List<Cluster.IstioService> istioServices(io.envoyproxy.envoy.config.core.v3.Metadata md) {
    com.google.protobuf.Struct istio = FILTER_METADATA.get(md).get("istio");
    if (istio == null || !istio.containsFields("services")) {
      return List.of();
    }
    String field = "metadata.filter_metadata.istio.services";
    com.google.protobuf.Value v = istio.getFieldsOrThrow("services");
    if (!v.hasListValue()) {
      throw invalid(field, v.getKindCase(), "a list of {host, name, namespace}");
    }
    List<Cluster.IstioService> out = new java.util.ArrayList<>();
    for (int i = 0; i < v.getListValue().getValuesCount(); i++) {
      com.google.protobuf.Value e = v.getListValue().getValues(i);
      String at = field + "[" + i + "]";
      if (!e.hasStructValue()) {
        throw invalid(at, e.getKindCase(), "a struct {host, name, namespace}");
      }
      var f = e.getStructValue().getFieldsMap();
      out.add(new Cluster.IstioService(string(f, at, "host"), string(f, at, "name"), string(f, at, "namespace")));
    }
    return out;
  }

  private static String string(java.util.Map<String, com.google.protobuf.Value> f, String at, String key) {
    com.google.protobuf.Value v = f.get(key);
    if (v == null || !v.hasStringValue() || v.getStringValue().isEmpty()) {
      throw invalid(at + "." + key, v == null ? "absent" : v.getKindCase() + " " + v.getStringValue(),
          "a non-empty string");
    }
    return v.getStringValue();
  }

  /** Envoy's {@code OutlierDetection} with its defaults. */
  static OutlierDetection outlierDetection(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection o) {
    OutlierDetection d = OutlierDetection.DEFAULT;
    Duration base = o.hasBaseEjectionTime() ? Fields.duration(o.getBaseEjectionTime()) : d.baseEjectionTime();
    Duration maxTime = o.hasMaxEjectionTime() ? Fields.duration(o.getMaxEjectionTime())
        : (base.compareTo(d.maxEjectionTime()) > 0 ? base : d.maxEjectionTime());
    return new OutlierDetection(
        o.hasConsecutive5Xx() ? o.getConsecutive5Xx().getValue() : d.consecutive5xx(),
        o.hasConsecutiveGatewayFailure() ? o.getConsecutiveGatewayFailure().getValue() : d.consecutiveGatewayFailure(),
        o.hasConsecutiveLocalOriginFailure() ? o.getConsecutiveLocalOriginFailure().getValue()
            : d.consecutiveLocalOriginFailure(),
        o.hasInterval() ? Fields.duration(o.getInterval()) : d.interval(),
        base,
        maxTime,
        o.hasMaxEjectionTimeJitter() ? Fields.duration(o.getMaxEjectionTimeJitter()) : Duration.ZERO,
        o.hasMaxEjectionPercent() ? o.getMaxEjectionPercent().getValue() : d.maxEjectionPercent(),
        o.hasEnforcingConsecutive5Xx() ? o.getEnforcingConsecutive5Xx().getValue() : d.enforcingConsecutive5xx(),
        o.hasEnforcingConsecutiveGatewayFailure() ? o.getEnforcingConsecutiveGatewayFailure().getValue()
            : d.enforcingConsecutiveGatewayFailure(),
        o.hasEnforcingConsecutiveLocalOriginFailure() ? o.getEnforcingConsecutiveLocalOriginFailure().getValue()
            : d.enforcingConsecutiveLocalOriginFailure(),
        o.getSplitExternalLocalOriginErrors(),
        o.hasAlwaysEjectOneHost() && o.getAlwaysEjectOneHost().getValue());
  }
}
