package dev.sluice.xds;

import java.util.List;

/** The four state-of-the-world type URLs, in make-before-break push order (CDS, EDS, LDS, RDS). */
public final class TypeUrls {
  private TypeUrls() {}

  public static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  public static final String ENDPOINT = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  public static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
  public static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

  /** Push order. */
  public static final List<String> ORDER = List.of(CLUSTER, ENDPOINT, LISTENER, ROUTE);

  /** {@code cds}, {@code eds}, {@code lds}, {@code rds}. */
  public static String shortName(String typeUrl) {
    return switch (typeUrl) {
      case CLUSTER -> "cds";
      case ENDPOINT -> "eds";
      case LISTENER -> "lds";
      case ROUTE -> "rds";
      default -> typeUrl.substring(typeUrl.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
    };
  }
}
