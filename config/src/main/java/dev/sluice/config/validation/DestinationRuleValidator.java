package dev.sluice.config.validation;

import dev.sluice.config.GoStrings;
import static dev.sluice.config.validation.Primitives.orEmpty;

import dev.sluice.config.istio.Common.ConnectionPool;
import dev.sluice.config.istio.Common.HttpSettings;
import dev.sluice.config.istio.Common.TcpSettings;
import dev.sluice.config.istio.DestinationRule;
import dev.sluice.config.istio.DestinationRule.ClientTls;
import dev.sluice.config.istio.DestinationRule.ConsistentHash;
import dev.sluice.config.istio.DestinationRule.OutlierDetection;
import dev.sluice.config.istio.DestinationRule.PortTrafficPolicy;
import dev.sluice.config.istio.DestinationRule.Subset;
import dev.sluice.config.istio.DestinationRule.TrafficPolicy;
import dev.sluice.config.istio.DestinationRule.Tunnel;
import dev.sluice.config.istio.DestinationRule.Warmup;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Istio's {@code ValidateDestinationRule}: host, subsets, traffic policies, exportTo and selector. */
final class DestinationRuleValidator {
  private DestinationRuleValidator() {}

  static void validate(DestinationRule dr, String namespace, Issues out) {
    out.error("spec.host", Primitives.wildcardDomain(dr.hostOrEmpty()));
    trafficPolicy(dr.trafficPolicy(), namespace, "spec.trafficPolicy", out);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < dr.subsets().size(); i++) {
      Subset s = dr.subsets().get(i);
      String path = "spec.subsets[" + i + "]";
      if (!names.add(s.nameOrEmpty())) {
        out.error(path + ".name", "duplicate subset names: " + s.nameOrEmpty());
      }
      out.error(path + ".name", VirtualServiceValidator.subsetName(s.nameOrEmpty()));
      out.errors(path + ".labels", Primitives.labels(s.labels()));
      trafficPolicy(s.trafficPolicy(), namespace, path + ".trafficPolicy", out);
    }
    out.errors("spec.exportTo", Primitives.exportTo(namespace, dr.exportTo(), false, dr.workloadSelector() != null));
    if (dr.workloadSelector() != null) {
      out.errors("spec.workloadSelector", Primitives.selectorErrors(dr.workloadSelector().matchLabels()));
      if (dr.workloadSelector().matchLabels().isEmpty()) {
        out.warn("spec.workloadSelector", "workload selector specified without labels");
      }
    }
  }

  private static void trafficPolicy(@Nullable TrafficPolicy p, String namespace, String path, Issues out) {
    if (p == null) {
      return;
    }
    if (p.isEmpty()) {
      out.error(path, "traffic policy must have at least one field");
      return;
    }
    if (p.tunnel() != null && p.proxyProtocol() != null) {
      out.error(path, "tunnel and proxyProtocol must not be set together");
      return;
    }
    outlierDetection(p.outlierDetection(), path + ".outlierDetection", out);
    connectionPool(p.connectionPool(), path + ".connectionPool", out);
    LoadBalancerValidator.validate(p.loadBalancer(), p.outlierDetection(), path + ".loadBalancer", out);
    clientTls(p.tls(), namespace, path + ".tls", out);
    for (int i = 0; i < p.portLevelSettings().size(); i++) {
      portPolicy(p.portLevelSettings().get(i), namespace, path + ".portLevelSettings[" + i + "]", out);
    }
    tunnel(p.tunnel(), path + ".tunnel", out);
    if (p.proxyProtocol() != null) {
      String version = p.proxyProtocol().version();
      if (version != null && !version.equals("V1") && !version.equals("V2")) {
        out.error(path + ".proxyProtocol.version", version.matches("-?[0-9]+")
            ? "proxy protocol version is invalid: " + version
            : Primitives.oneOf(path + ".proxyProtocol.version", version, "V1", "V2"));
      }
    }
  }

  private static void portPolicy(PortTrafficPolicy p, String namespace, String path, Issues out) {
    if (p.port() == null) {
      out.error(path, "portTrafficPolicy must have valid port");
    }
    if (p.outlierDetection() == null && p.connectionPool() == null && p.loadBalancer() == null && p.tls() == null) {
      out.error(path, "port traffic policy must have at least one field");
      return;
    }
    outlierDetection(p.outlierDetection(), path + ".outlierDetection", out);
    connectionPool(p.connectionPool(), path + ".connectionPool", out);
    LoadBalancerValidator.validate(p.loadBalancer(), p.outlierDetection(), path + ".loadBalancer", out);
    clientTls(p.tls(), namespace, path + ".tls", out);
  }

  private static void tunnel(@Nullable Tunnel t, String path, Issues out) {
    if (t == null) {
      return;
    }
    String protocol = orEmpty(t.protocol());
    if (!protocol.isEmpty() && !protocol.equals("CONNECT") && !protocol.equals("POST")) {
      out.error(path + ".protocol", "tunnel protocol must be \"CONNECT\" or \"POST\"");
    }
    String host = orEmpty(t.targetHost());
    String fqdnErr = Primitives.fqdn(host);
    String ipErr = IpAddresses.ipAddress(host);
    if (fqdnErr != null && ipErr != null) {
      out.error(path + ".targetHost", "tunnel target host must be valid FQDN or IP address: " + fqdnErr + "; " + ipErr);
    }
    String portErr = Primitives.port(t.targetPort() == null ? 0 : t.targetPort());
    if (portErr != null) {
      out.error(path + ".targetPort", "tunnel target port is invalid: " + portErr);
    }
  }

  private static void outlierDetection(@Nullable OutlierDetection o, String path, Issues out) {
    if (o == null) {
      return;
    }
    out.error(path + ".baseEjectionTime", Primitives.duration(o.baseEjectionTime()));
    if (o.consecutiveErrors() != null && o.consecutiveErrors() != 0) {
      out.warn(path + ".consecutiveErrors",
          "outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead");
    }
    if (!Boolean.TRUE.equals(o.splitExternalLocalOriginErrors()) && o.consecutiveLocalOriginFailures() != null
        && o.consecutiveLocalOriginFailures() > 0) {
      out.error(path + ".consecutiveLocalOriginFailures", "outlier detection consecutive local origin failures is"
          + " specified, but split external local origin errors is set to false");
    }
    out.error(path + ".interval", Primitives.duration(o.interval()));
    out.error(path + ".maxEjectionPercent", Primitives.intPercent(o.maxEjectionPercent()));
    out.error(path + ".minHealthPercent", Primitives.intPercent(o.minHealthPercent()));
  }

  /** Connection pool limits and timeouts (also used by Sidecar inbound pools). */
  static void connectionPool(@Nullable ConnectionPool pool, String path, Issues out) {
    if (pool == null) {
      return;
    }
    if (pool.http() == null && pool.tcp() == null) {
      out.error(path, "connection pool must have at least one field");
      return;
    }
    HttpSettings h = pool.http();
    if (h != null) {
      String hp = path + ".http";
      negative(h.http1MaxPendingRequests(), hp + ".http1MaxPendingRequests", "http1 max pending requests", out);
      negative(h.http2MaxRequests(), hp + ".http2MaxRequests", "http2 max requests", out);
      negative(h.maxRequestsPerConnection(), hp + ".maxRequestsPerConnection", "max requests per connection", out);
      negative(h.maxRetries(), hp + ".maxRetries", "max retries", out);
      out.error(hp + ".idleTimeout", Primitives.duration(h.idleTimeout()));
      out.error(hp + ".h2UpgradePolicy",
          Primitives.oneOf(hp + ".h2UpgradePolicy", h.h2UpgradePolicy(), "DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"));
      if ("UPGRADE".equals(h.h2UpgradePolicy()) && Boolean.TRUE.equals(h.useClientProtocol())) {
        out.error(hp + ".useClientProtocol", "use client protocol must not be true when H2UpgradePolicy is UPGRADE");
      }
      negative(h.maxConcurrentStreams(), hp + ".maxConcurrentStreams", "max concurrent streams", out);
      var ka = h.http2KeepAlive();
      if (ka != null) {
        if (ka.interval() == null) {
          out.error(hp + ".http2KeepAlive", "http2 keepalive interval is required");
        } else {
          out.error(hp + ".http2KeepAlive.interval", Primitives.duration(ka.interval()));
        }
        if (ka.timeout() == null) {
          out.error(hp + ".http2KeepAlive", "http2 keepalive timeout is required");
        } else {
          out.error(hp + ".http2KeepAlive.timeout", Primitives.duration(ka.timeout()));
        }
      }
    }
    TcpSettings t = pool.tcp();
    if (t != null) {
      String tp = path + ".tcp";
      negative(t.maxConnections(), tp + ".maxConnections", "max connections", out);
      out.error(tp + ".connectTimeout", Primitives.duration(t.connectTimeout()));
      out.error(tp + ".maxConnectionDuration", Primitives.duration(t.maxConnectionDuration()));
      if (t.idleTimeout() != null) {
        BigDecimal nanos = Primitives.durationNanos(t.idleTimeout());
        // 0s disables the idle timeout.
        boolean disabled = nanos != null && nanos.abs().compareTo(BigDecimal.valueOf(1_000_000L)) < 0;
        if (!disabled) {
          out.error(tp + ".idleTimeout", Primitives.duration(t.idleTimeout()));
        }
      }
      if (t.tcpKeepalive() != null) {
        out.error(tp + ".tcpKeepalive.time", Primitives.duration(t.tcpKeepalive().time()));
        out.error(tp + ".tcpKeepalive.interval", Primitives.duration(t.tcpKeepalive().interval()));
      }
    }
  }

  private static void negative(@Nullable Integer v, String path, String what, Issues out) {
    if (v != null && v < 0) {
      out.error(path, what + " must be non-negative");
    }
  }

  /** {@code ClientTLSSettings} of a DestinationRule. */
  private static void clientTls(@Nullable ClientTls tls, String namespace, String path, Issues out) {
    if (tls == null) {
      return;
    }
    out.error(path + ".mode", Primitives.oneOf(path + ".mode", tls.mode(), "DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"));
    String credential = orEmpty(tls.credentialName());
    String configMapPrefix = "configmap://";
    if (credential.startsWith(configMapPrefix)) {
      String rest = credential.substring(configMapPrefix.length());
      int slash = rest.indexOf('/');
      String ns = slash < 0 ? namespace : rest.substring(0, slash);
      String name = slash < 0 ? rest : rest.substring(slash + 1);
      if (name.isEmpty() || name.contains("/")) {
        out.error(path + ".credentialName", "invalid configmap:// credentialName: invalid resource name " + credential);
      } else if (!ns.equals(namespace) || namespace.isEmpty()) {
        out.error(path + ".credentialName", "invalid configmap:// credentialName: namespace must match the"
            + " configuration namespace " + GoStrings.quote(namespace));
      }
    }
    String mode = tls.modeOrDefault();
    boolean hasCa = !orEmpty(tls.caCertificates()).isEmpty();
    if (Boolean.TRUE.equals(tls.insecureSkipVerify())) {
      if (mode.equals("SIMPLE") && (hasCa || !credential.isEmpty() || !tls.subjectAltNames().isEmpty())) {
        out.error(path, "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true");
      }
      if (mode.equals("MUTUAL") && (hasCa || !tls.subjectAltNames().isEmpty())) {
        out.error(path, "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
      }
    }
    if ((mode.equals("SIMPLE") || mode.equals("MUTUAL")) && !credential.isEmpty()) {
      if (!orEmpty(tls.clientCertificate()).isEmpty() || hasCa || !orEmpty(tls.privateKey()).isEmpty()
          || !orEmpty(tls.caCrl()).isEmpty()) {
        out.error(path, "cannot specify client certificates or CA certificate or CA CRL If credentialName is set");
      }
      return;
    }
    if (mode.equals("MUTUAL")) {
      if (orEmpty(tls.clientCertificate()).isEmpty()) {
        out.error(path, "client certificate required for mutual tls");
      }
      if (orEmpty(tls.privateKey()).isEmpty()) {
        out.error(path, "private key required for mutual tls");
      }
    }
  }

  static void warmup(@Nullable Warmup w, String path, Issues out) {
    if (w == null) {
      return;
    }
    if (w.duration() == null) {
      out.error(path + ".duration", path + ".duration: Required value: duration is required");
    } else {
      out.error(path + ".duration", Primitives.duration(w.duration()));
    }
    if (w.minimumPercent() != null && w.minimumPercent() > 100) {
      out.error(path + ".minimumPercent", path + ".minimumPercent: Invalid value: " + Primitives.goFloat(w.minimumPercent())
          + ": minimumPercent value should be less than or equal to 100");
    }
    if (w.aggression() != null && w.aggression() <= 0) {
      out.error(path + ".aggression", path + ".aggression: Invalid value: " + Primitives.goFloat(w.aggression())
          + ": aggression should be greater than 0");
    }
  }

  static @Nullable String consistentHashConflict(ConsistentHash ch) {
    return ch.minimumRingSize() != null && ch.minimumRingSize() != 0 && (ch.ringHash() != null || ch.maglev() != null)
        ? "only one of MinimumRingSize or Maglev/Ringhash can be specified" : null;
  }
}
