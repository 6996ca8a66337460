package dev.sluice.proxy.internal.telemetry;

import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.telemetry.Reporter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The label values of Istio's metrics for one request or connection, in {@link
 * IstioMetrics#HTTP_LABELS} order. The reporter's own workload comes from its node metadata, the
 * other side's from the metadata exchange; the destination service from the cluster's istiod
 * {@code services} metadata (the first entry, as Istio's stats filter reads it; inbound clusters
 * carry it), else the Istio cluster name ({@code outbound|9080|v1|reviews.default.svc.cluster.local}),
 * else the {@code :authority} (as Istio's host header fallback). Rules as in Istio: a missing value is {@code unknown};
 * principals are {@code unknown} without mTLS (this proxy does not terminate TLS yet); {@code
 * grpc_response_status} is empty for non-gRPC requests; {@code connection_security_policy} is
 * {@code none} on the destination side for plaintext and {@code unknown} on the source side.
 */
public final class IstioLabels {
  static final String UNKNOWN = "unknown";

  private IstioLabels() {}

  /** The destination service host, name and namespace from a cluster name or an authority. */
  public record Service(String host, String name, String namespace) {
    /**
     * The first of the cluster's Istio services if it has any, else {@link #of(String, String)}.
     */
    public static Service of(List<Cluster.IstioService> clusterServices, @Nullable String clusterName,
        @Nullable String authority) {
      if (!clusterServices.isEmpty()) {
        Cluster.IstioService s = clusterServices.getFirst();
        return new Service(s.host(), s.name(), s.namespace());
      }
      return of(clusterName, authority);
    }

    /** Parses {@code outbound|port|subset|host} (else uses {@code authority} without its port). */
    public static Service of(@Nullable String clusterName, @Nullable String authority) {
      String host = null;
      if (clusterName != null) {
        int last = clusterName.lastIndexOf('|');
        if (last > 0 && (clusterName.startsWith("outbound|") || clusterName.startsWith("inbound|"))
            && last < clusterName.length() - 1) {
          host = clusterName.substring(last + 1);
        }
      }
      if (host == null && authority != null && !authority.isEmpty()) {
        host = stripPort(authority);
      }
      if (host == null || host.isEmpty()) {
        return new Service(UNKNOWN, UNKNOWN, UNKNOWN);
      }
      String[] parts = host.split("\\.");
      if (parts.length >= 3 && parts[2].equals("svc")) {
        return new Service(host, parts[0], parts[1]);
      }
      return new Service(host, host, UNKNOWN);
    }
  }

  private static String stripPort(String a) {
    if (a.startsWith("[")) {
      int end = a.indexOf(']');
      return end > 0 ? a.substring(0, end + 1) : a;
    }
    int c = a.lastIndexOf(':');
    return c > 0 && a.indexOf(':') == c ? a.substring(0, c) : a;
  }

  private static String v(@Nullable String s) {
    return s == null || s.isEmpty() ? UNKNOWN : s;
  }

  /**
   * Label values of an HTTP request.
   *
   * @param self this proxy's workload
   * @param peer the other side's workload from the exchange ({@link PeerMetadata#UNKNOWN} if none)
   * @param grpcStatus the grpc-status of a gRPC response; {@code null} for plain HTTP
   */
  public static String[] http(Reporter reporter, PeerMetadata self, PeerMetadata peer, Service service,
      boolean grpc, int responseCode, @Nullable String grpcStatus, String flags) {
    String[] l = new String[IstioMetrics.HTTP_LABELS.length];
    fill(l, reporter, self, peer, service, grpc ? "grpc" : "http", flags);
    l[IstioMetrics.RESPONSE_CODE] = Integer.toString(responseCode);
    l[IstioMetrics.GRPC_STATUS] = grpc ? v(grpcStatus) : "";
    return l;
  }

  /** Label values of a TCP connection (no response code or gRPC status). */
  public static String[] tcp(Reporter reporter, PeerMetadata self, PeerMetadata peer, Service service, String flags) {
    String[] full = new String[IstioMetrics.HTTP_LABELS.length];
    fill(full, reporter, self, peer, service, "tcp", flags);
    String[] l = new String[IstioMetrics.TCP_LABELS.length];
    System.arraycopy(full, 0, l, 0, IstioMetrics.RESPONSE_CODE);
    System.arraycopy(full, IstioMetrics.GRPC_STATUS + 1, l, IstioMetrics.RESPONSE_CODE,
        full.length - IstioMetrics.GRPC_STATUS - 1);
    return l;
  }

  private static void fill(String[] l, Reporter reporter, PeerMetadata self, PeerMetadata peer, Service service,
      String protocol, String flags) {
    PeerMetadata src = reporter == Reporter.DESTINATION ? peer : self;
    PeerMetadata dst = reporter == Reporter.DESTINATION ? self : peer;
    l[0] = reporter.label();
    l[1] = v(src.workload());
    l[2] = v(src.canonicalService());
    l[3] = v(src.canonicalRevision());
    l[4] = v(src.namespace());
    l[5] = UNKNOWN; // source_principal: from the mTLS peer certificate only
    l[6] = v(src.app());
    l[7] = v(src.version());
    l[8] = v(src.clusterId());
    l[9] = v(dst.workload());
    l[10] = v(dst.namespace());
    l[11] = UNKNOWN; // destination_principal: from the mTLS peer certificate only
    l[12] = v(dst.app());
    l[13] = v(dst.version());
    l[14] = service.host();
    l[15] = v(dst.canonicalService());
    l[16] = v(dst.canonicalRevision());
    l[17] = service.name();
    l[18] = !service.namespace().equals(UNKNOWN) ? service.namespace() : v(dst.namespace());
    l[19] = v(dst.clusterId());
    l[20] = protocol;
    // 21 response_code and 22 grpc_response_status are set by http() or cut out by tcp().
    l[23] = flags.isEmpty() ? "-" : flags;
    l[24] = reporter == Reporter.DESTINATION ? "none" : UNKNOWN;
  }
}
