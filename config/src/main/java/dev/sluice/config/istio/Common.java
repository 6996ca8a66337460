package dev.sluice.config.istio;

import dev.sluice.config.Immutables;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Message types that several Istio kinds share. */
public final class Common {
  private Common() {}

  /** {@code Percent}: a value in [0, 100]. */
  public record Percent(@Nullable Double value) {
    public double orZero() {
      return value == null ? 0 : value;
    }
  }

  /** {@code PortSelector}: a port number (0 when not given). */
  public record PortSelector(@Nullable Integer number) {
    public int num() {
      return number == null ? 0 : number;
    }
  }

  /** {@code Destination}: a service host, an optional subset and port. */
  public record Destination(@Nullable String host, @Nullable String subset, @Nullable PortSelector port) {
    public String hostOrEmpty() {
      return host == null ? "" : host;
    }

    public String subsetOrEmpty() {
      return subset == null ? "" : subset;
    }

    /** The port number, 0 when none is given. */
    public int portNumber() {
      return port == null ? 0 : port.num();
    }
  }

  /** Sidecar/ServiceEntry selector ({@code labels}). */
  public record WorkloadSelector(Map<String, String> labels) {
    public WorkloadSelector {
      labels = Immutables.map(labels);
    }
  }

  /** Security and DestinationRule selector ({@code matchLabels}). */
  public record LabelSelector(Map<String, String> matchLabels) {
    public LabelSelector {
      matchLabels = Immutables.map(matchLabels);
    }
  }

  /** {@code PolicyTargetReference} (Gateway API target of a policy). */
  public record TargetRef(@Nullable String group, @Nullable String kind, @Nullable String name,
      @Nullable String namespace) {}

  /** {@code Port} of Gateway servers, ServiceEntries and Sidecar listeners. */
  public record Port(@Nullable Integer number, @Nullable String protocol, @Nullable String name,
      @Nullable Integer targetPort) {
    public int num() {
      return number == null ? 0 : number;
    }

    public String protocolOrEmpty() {
      return protocol == null ? "" : protocol;
    }

    public String nameOrEmpty() {
      return name == null ? "" : name;
    }
  }

  /** {@code ServerTLSSettings} (Gateway servers, Sidecar ingress). */
  public record ServerTls(
      @Nullable Boolean httpsRedirect,
      @Nullable String mode,
      @Nullable String serverCertificate,
      @Nullable String privateKey,
      @Nullable String caCertificates,
      @Nullable String caCrl,
      @Nullable String credentialName,
      List<String> credentialNames,
      @Nullable String caCertCredentialName,
      List<TlsCertificate> tlsCertificates,
      List<String> subjectAltNames,
      List<String> verifyCertificateSpki,
      List<String> verifyCertificateHash,
      @Nullable String minProtocolVersion,
      @Nullable String maxProtocolVersion,
      List<String> cipherSuites,
      List<String> ecdhCurves,
      @Nullable Boolean insecureSkipVerify) {
    public ServerTls {
      credentialNames = Immutables.list(credentialNames);
      tlsCertificates = Immutables.list(tlsCertificates);
      subjectAltNames = Immutables.list(subjectAltNames);
      verifyCertificateSpki = Immutables.list(verifyCertificateSpki);
      verifyCertificateHash = Immutables.list(verifyCertificateHash);
      cipherSuites = Immutables.list(cipherSuites);
      ecdhCurves = Immutables.list(ecdhCurves);
    }

    public boolean redirect() {
      return Boolean.TRUE.equals(httpsRedirect);
    }

    /** The TLS mode, or {@code PASSTHROUGH} (the proto default) when unset. */
    public String modeOrDefault() {
      return mode == null || mode.isEmpty() ? "PASSTHROUGH" : mode;
    }
  }

  /** {@code ServerTLSSettings.TLSCertificate}. */
  public record TlsCertificate(@Nullable String serverCertificate, @Nullable String privateKey,
      @Nullable String caCertificates) {}

  /** {@code ConnectionPoolSettings}. */
  public record ConnectionPool(@Nullable TcpSettings tcp, @Nullable HttpSettings http) {}

  /** {@code ConnectionPoolSettings.TCPSettings}. */
  public record TcpSettings(
      @Nullable Integer maxConnections,
      @Nullable String connectTimeout,
      @Nullable TcpKeepalive tcpKeepalive,
      @Nullable String maxConnectionDuration,
      @Nullable String idleTimeout) {}

  /** {@code TCPSettings.TcpKeepalive}. */
  public record TcpKeepalive(@Nullable Integer probes, @Nullable String time, @Nullable String interval) {}

  /** {@code ConnectionPoolSettings.HTTPSettings}. */
  public record HttpSettings(
      @Nullable Integer http1MaxPendingRequests,
      @Nullable Integer http2MaxRequests,
      @Nullable Integer maxRequestsPerConnection,
      @Nullable Integer maxRetries,
      @Nullable String idleTimeout,
      @Nullable String h2UpgradePolicy,
      @Nullable Boolean useClientProtocol,
      @Nullable Integer maxConcurrentStreams,
      @Nullable Http2KeepAlive http2KeepAlive) {}

  /** {@code HTTPSettings.HTTP2KeepAlive}. */
  public record Http2KeepAlive(@Nullable String interval, @Nullable String timeout) {}

}
