package dev.sluice.config.istio;

import dev.sluice.config.Immutables;
import dev.sluice.config.istio.Common.ConnectionPool;
import dev.sluice.config.istio.Common.LabelSelector;
import dev.sluice.config.istio.Common.PortSelector;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code networking.istio.io DestinationRule}: policies that apply after routing. */
public record DestinationRule(
    @Nullable String host,
    @Nullable TrafficPolicy trafficPolicy,
    List<Subset> subsets,
    List<String> exportTo,
    @Nullable LabelSelector workloadSelector) implements Spec {

  public DestinationRule {
    subsets = Immutables.list(subsets);
    exportTo = Immutables.list(exportTo);
  }

  public String hostOrEmpty() {
    return host == null ? "" : host;
  }

  /** {@code TrafficPolicy}. */
  public record TrafficPolicy(
      @Nullable LoadBalancer loadBalancer,
      @Nullable ConnectionPool connectionPool,
      @Nullable OutlierDetection outlierDetection,
      @Nullable ClientTls tls,
      List<PortTrafficPolicy> portLevelSettings,
      @Nullable Tunnel tunnel,
      @Nullable ProxyProtocol proxyProtocol,
      @Nullable RetryBudget retryBudget) {
    public TrafficPolicy {
      portLevelSettings = Immutables.list(portLevelSettings);
    }

    /** True when no field is set ({@code trafficPolicy: {}}). */
    public boolean isEmpty() {
      return loadBalancer == null && connectionPool == null && outlierDetection == null && tls == null
          && portLevelSettings.isEmpty() && tunnel == null && proxyProtocol == null && retryBudget == null;
    }
  }

  /** {@code TrafficPolicy.PortTrafficPolicy}. */
  public record PortTrafficPolicy(
      @Nullable PortSelector port,
      @Nullable LoadBalancer loadBalancer,
      @Nullable ConnectionPool connectionPool,
      @Nullable OutlierDetection outlierDetection,
      @Nullable ClientTls tls) {}

  /** {@code Subset}. */
  public record Subset(@Nullable String name, Map<String, String> labels,
      @Nullable TrafficPolicy trafficPolicy) {
    public Subset {
      labels = Immutables.map(labels);
    }

    public String nameOrEmpty() {
      return name == null ? "" : name;
    }
  }

  /** {@code LoadBalancerSettings}. */
  public record LoadBalancer(
      @Nullable String simple,
      @Nullable ConsistentHash consistentHash,
      @Nullable LocalityLb localityLbSetting,
      @Nullable String warmupDurationSecs,
      @Nullable Warmup warmup,
      @Nullable LocalityLb zoneAwareLbSetting,
      @Nullable Map<String, Object> backendUtilization) {}

  /** {@code LoadBalancerSettings.ConsistentHashLB}. */
  public record ConsistentHash(
      @Nullable String httpHeaderName,
      @Nullable HttpCookie httpCookie,
      @Nullable Boolean useSourceIp,
      @Nullable String httpQueryParameterName,
      @Nullable RingHash ringHash,
      @Nullable Maglev maglev,
      @Nullable Integer minimumRingSize) {}

  /** {@code ConsistentHashLB.HTTPCookie}. */
  public record HttpCookie(@Nullable String name, @Nullable String path, @Nullable String ttl,
      List<CookieAttribute> attributes) {
    public HttpCookie {
      attributes = Immutables.list(attributes);
    }
  }

  /** {@code HTTPCookie.Attribute}. */
  public record CookieAttribute(@Nullable String name, @Nullable String value) {}

  /** {@code ConsistentHashLB.RingHash}. */
  public record RingHash(@Nullable Integer minimumRingSize) {}

  /** {@code ConsistentHashLB.MagLev}. */
  public record Maglev(@Nullable Integer tableSize) {}

  /** {@code WarmupConfiguration}. */
  public record Warmup(@Nullable String duration, @Nullable Double minimumPercent, @Nullable Double aggression) {}

  /** {@code LocalityLoadBalancerSetting} (also the shape of {@code zoneAwareLbSetting}). */
  public record LocalityLb(
      List<Distribute> distribute,
      List<Failover> failover,
      List<String> failoverPriority,
      @Nullable Boolean enabled,
      @Nullable Integer minClusterSize) {
    public LocalityLb {
      distribute = Immutables.list(distribute);
      failover = Immutables.list(failover);
      failoverPriority = Immutables.list(failoverPriority);
    }
  }

  /** {@code LocalityLoadBalancerSetting.Distribute}. */
  public record Distribute(@Nullable String from, Map<String, Integer> to) {
    public Distribute {
      to = Immutables.map(to);
    }
  }

  /** {@code LocalityLoadBalancerSetting.Failover}. */
  public record Failover(@Nullable String from, @Nullable String to) {}

  /** {@code OutlierDetection}. */
  public record OutlierDetection(
      @Nullable Boolean splitExternalLocalOriginErrors,
      @Nullable Integer consecutiveLocalOriginFailures,
      @Nullable Integer consecutiveGatewayErrors,
      @Nullable Integer consecutive5xxErrors,
      @Nullable String interval,
      @Nullable String baseEjectionTime,
      @Nullable Integer maxEjectionPercent,
      @Nullable Integer minHealthPercent,
      @Nullable Integer consecutiveErrors,
      List<Integer> outlierDetectionHttpErrorCodes) {
    public OutlierDetection {
      outlierDetectionHttpErrorCodes = Immutables.list(outlierDetectionHttpErrorCodes);
    }
  }

  /** {@code ClientTLSSettings}. */
  public record ClientTls(
      @Nullable String mode,
      @Nullable String clientCertificate,
      @Nullable String privateKey,
      @Nullable String caCertificates,
      @Nullable String credentialName,
      List<String> subjectAltNames,
      @Nullable String sni,
      @Nullable Boolean insecureSkipVerify,
      @Nullable String caCrl) {
    public ClientTls {
      subjectAltNames = Immutables.list(subjectAltNames);
    }

    /** The mode, or {@code DISABLE} (the proto default) when unset. */
    public String modeOrDefault() {
      return mode == null || mode.isEmpty() ? "DISABLE" : mode;
    }
  }

  /** {@code TrafficPolicy.TunnelSettings}. */
  public record Tunnel(@Nullable String protocol, @Nullable String targetHost, @Nullable Integer targetPort) {}

  /** {@code TrafficPolicy.ProxyProtocol}. */
  public record ProxyProtocol(@Nullable String version) {}

  /** {@code TrafficPolicy.RetryBudget}. */
  public record RetryBudget(@Nullable Double percent, @Nullable String budgetInterval,
      @Nullable Integer minRetryConcurrency) {}
}
