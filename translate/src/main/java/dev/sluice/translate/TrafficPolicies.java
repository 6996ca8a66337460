package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import dev.sluice.config.istio.Common.ConnectionPool;
import dev.sluice.config.istio.DestinationRule;
import dev.sluice.config.istio.DestinationRule.ClientTls;
import dev.sluice.config.istio.DestinationRule.LoadBalancer;
import dev.sluice.config.istio.DestinationRule.OutlierDetection;
import dev.sluice.config.istio.DestinationRule.PortTrafficPolicy;
import dev.sluice.config.istio.DestinationRule.TrafficPolicy;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import io.envoyproxy.envoy.config.cluster.v3.UpstreamConnectionOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.jspecify.annotations.Nullable;

/**
 * A DestinationRule's traffic policy, merged as Istio merges it, applied to a cluster.
 *
 * <p>Merging ({@code MergeTrafficPolicy} in istiod): a port-level entry for the cluster's port
 * replaces the four blocks wholesale (a block it omits falls back to the default, not to the
 * top level); a subset's policy then overrides only the blocks it sets, and its own port-level
 * entry again replaces them wholesale.
 */
final class TrafficPolicies {
  /**
   * Istio's "unlimited" thresholds are 2^32-1; sluice-proxy's proxy-core reads these uint32 values
   * into a Java int, where 2^32-1 becomes -1 and every request overflows. 2^31-1 is just as
   * unlimited in practice and safe for both Envoy and sluice-proxy.
   * TODO(control-plane): use 4294967295 once proxy-core reads uint32 thresholds as unsigned.
   */
  static final int UNLIMITED = Integer.MAX_VALUE;

  /** The four blocks that merge. */
  record Policy(@Nullable LoadBalancer loadBalancer, @Nullable ConnectionPool connectionPool,
      @Nullable OutlierDetection outlierDetection, @Nullable ClientTls tls) {
    static final Policy DEFAULT = new Policy(null, null, null, null);
  }

  private TrafficPolicies() {}

  /** The effective policy for a cluster of {@code dr} on {@code port}, for {@code subset} (or none). */
  static Policy effective(@Nullable DestinationRule dr, DestinationRule.@Nullable Subset subset, int port) {
    if (dr == null) {
      return Policy.DEFAULT;
    }
    Policy p = merge(Policy.DEFAULT, dr.trafficPolicy(), port);
    return subset == null ? p : merge(p, subset.trafficPolicy(), port);
  }

  private static Policy merge(Policy base, @Nullable TrafficPolicy tp, int port) {
    if (tp == null) {
      return base;
    }
    Policy p = new Policy(
        tp.loadBalancer() != null ? tp.loadBalancer() : base.loadBalancer(),
        tp.connectionPool() != null ? tp.connectionPool() : base.connectionPool(),
        tp.outlierDetection() != null ? tp.outlierDetection() : base.outlierDetection(),
        tp.tls() != null ? tp.tls() : base.tls());
    for (PortTrafficPolicy pl : tp.portLevelSettings()) {
      if (pl.port() != null && pl.port().num() == port) {
        p = new Policy(pl.loadBalancer(), pl.connectionPool(), pl.outlierDetection(), pl.tls());
      }
    }
    return p;
  }

  /** Applies load balancing, connection pool, outlier detection and HTTP/2 to {@code c}. */
  static void apply(Cluster.Builder c, Policy p, boolean http2) {
    applyLoadBalancer(c, p.loadBalancer());
    ConnectionPool cp = p.connectionPool();
    var tcp = cp == null ? null : cp.tcp();
    var http = cp == null ? null : cp.http();
    var connect = tcp == null ? null : Durations.parse(tcp.connectTimeout());
    c.setConnectTimeout(connect != null ? connect : Durations.seconds(10));
    var t = CircuitBreakers.Thresholds.newBuilder()
        .setPriority(RoutingPriority.DEFAULT)
        .setMaxConnections(u32(tcp == null ? null : tcp.maxConnections()))
        .setMaxPendingRequests(u32(http == null ? null : http.http1MaxPendingRequests()))
        .setMaxRequests(u32(http == null ? null : http.http2MaxRequests()))
        .setMaxRetries(u32(http == null ? null : http.maxRetries()))
        .setTrackRemaining(true);
    c.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(t));
    if (tcp != null && tcp.tcpKeepalive() != null) {
      var ka = TcpKeepalive.newBuilder();
      if (tcp.tcpKeepalive().probes() != null) {
        ka.setKeepaliveProbes(UInt32Value.of(tcp.tcpKeepalive().probes()));
      }
      var time = Durations.parse(tcp.tcpKeepalive().time());
      if (time != null) {
        ka.setKeepaliveTime(UInt32Value.of((int) time.getSeconds()));
      }
      var interval = Durations.parse(tcp.tcpKeepalive().interval());
      if (interval != null) {
        ka.setKeepaliveInterval(UInt32Value.of((int) interval.getSeconds()));
      }
      c.setUpstreamConnectionOptions(UpstreamConnectionOptions.newBuilder().setTcpKeepalive(ka));
    }
    boolean h2 = http2 || http != null && "UPGRADE".equals(http.h2UpgradePolicy());
    var common = io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder();
    boolean hasCommon = false;
    if (http != null) {
      var idle = Durations.parse(http.idleTimeout());
      if (idle != null) {
        common.setIdleTimeout(idle);
        hasCommon = true;
      }
      if (http.maxRequestsPerConnection() != null && http.maxRequestsPerConnection() > 0) {
        common.setMaxRequestsPerConnection(UInt32Value.of(http.maxRequestsPerConnection()));
        hasCommon = true;
      }
    }
    if (tcp != null) {
      var duration = Durations.parse(tcp.maxConnectionDuration());
      if (duration != null) {
        common.setMaxConnectionDuration(duration);
        hasCommon = true;
      }
    }
    if (h2 || hasCommon) {
      HttpProtocolOptions.Builder opts = HttpProtocolOptions.newBuilder();
      if (hasCommon) {
        opts.setCommonHttpProtocolOptions(common);
      }
      var explicit = HttpProtocolOptions.ExplicitHttpConfig.newBuilder();
      if (h2) {
        var h2o = Http2ProtocolOptions.newBuilder();
        if (http != null && http.maxConcurrentStreams() != null) {
          h2o.setMaxConcurrentStreams(UInt32Value.of(http.maxConcurrentStreams()));
        }
        explicit.setHttp2ProtocolOptions(h2o);
      } else {
        explicit.setHttpProtocolOptions(io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions.getDefaultInstance());
      }
      opts.setExplicitHttpConfig(explicit);
      c.putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Any.pack(opts.build()));
    }
    applyOutlierDetection(c, p.outlierDetection());
  }

  private static UInt32Value u32(@Nullable Integer v) {
    return UInt32Value.of(v == null || v <= 0 ? UNLIMITED : v);
  }

  private static void applyLoadBalancer(Cluster.Builder c, @Nullable LoadBalancer lb) {
    if (lb != null && lb.consistentHash() != null) {
      var ch = lb.consistentHash();
      if (ch.maglev() != null) {
        c.setLbPolicy(Cluster.LbPolicy.MAGLEV);
        if (ch.maglev().tableSize() != null) {
          c.setMaglevLbConfig(Cluster.MaglevLbConfig.newBuilder().setTableSize(UInt64Value.of(ch.maglev().tableSize())));
        }
      } else {
        c.setLbPolicy(Cluster.LbPolicy.RING_HASH);
        Integer min = ch.ringHash() != null && ch.ringHash().minimumRingSize() != null
            ? ch.ringHash().minimumRingSize() : ch.minimumRingSize();
        c.setRingHashLbConfig(Cluster.RingHashLbConfig.newBuilder()
            .setMinimumRingSize(UInt64Value.of(min == null || min == 0 ? 1024 : min)));
      }
      return;
    }
    String simple = lb == null || lb.simple() == null ? "LEAST_REQUEST" : lb.simple();
    switch (simple) {
      case "ROUND_ROBIN" -> c.setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
      case "RANDOM" -> c.setLbPolicy(Cluster.LbPolicy.RANDOM);
      case "PASSTHROUGH" -> {
        c.setType(Cluster.DiscoveryType.ORIGINAL_DST);
        c.clearEdsClusterConfig();
        c.setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
      }
      default -> c.setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST);
    }
  }

  private static void applyOutlierDetection(Cluster.Builder c, @Nullable OutlierDetection od) {
    if (od == null) {
      return;
    }
    var o = io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder();
    Integer consecutive5xx = od.consecutive5xxErrors() != null ? od.consecutive5xxErrors() : od.consecutiveErrors();
    if (consecutive5xx != null) {
      o.setConsecutive5Xx(UInt32Value.of(consecutive5xx));
      o.setEnforcingConsecutive5Xx(UInt32Value.of(consecutive5xx > 0 ? 100 : 0));
    } else {
      o.setEnforcingConsecutive5Xx(UInt32Value.of(100));
    }
    if (od.consecutiveGatewayErrors() != null) {
      o.setConsecutiveGatewayFailure(UInt32Value.of(od.consecutiveGatewayErrors()));
      o.setEnforcingConsecutiveGatewayFailure(UInt32Value.of(od.consecutiveGatewayErrors() > 0 ? 100 : 0));
    } else {
      o.setEnforcingConsecutiveGatewayFailure(UInt32Value.of(0));
    }
    var interval = Durations.parse(od.interval());
    if (interval != null) {
      o.setInterval(interval);
    }
    var base = Durations.parse(od.baseEjectionTime());
    if (base != null) {
      o.setBaseEjectionTime(base);
    }
    if (od.maxEjectionPercent() != null) {
      o.setMaxEjectionPercent(UInt32Value.of(od.maxEjectionPercent()));
    }
    if (Boolean.TRUE.equals(od.splitExternalLocalOriginErrors())) {
      o.setSplitExternalLocalOriginErrors(true);
      if (od.consecutiveLocalOriginFailures() != null) {
        o.setConsecutiveLocalOriginFailure(UInt32Value.of(od.consecutiveLocalOriginFailures()));
      }
    }
    o.setEnforcingSuccessRate(UInt32Value.of(0));
    c.setOutlierDetection(o);
    c.setCommonLbConfig(Cluster.CommonLbConfig.newBuilder()
        .setHealthyPanicThreshold(io.envoyproxy.envoy.type.v3.Percent.newBuilder()
            .setValue(od.minHealthPercent() == null ? 0 : od.minHealthPercent())));
  }

}
