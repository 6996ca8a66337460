package dev.sluice.proxy.core.xds;

import static dev.sluice.proxy.core.xds.Fields.at;
import static dev.sluice.proxy.core.xds.Fields.invalid;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.proxy.core.filter.Fraction;
import dev.sluice.proxy.core.telemetry.Reporter;
import dev.sluice.proxy.core.telemetry.StatsConfig;
import dev.sluice.proxy.core.telemetry.TraceProvider;
import dev.sluice.proxy.core.telemetry.TracingConfig;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Telemetry settings from xDS: Istio's {@code istio.stats} filter config, the connection
 * manager's {@code tracing}, and tracer providers ({@code envoy.tracers.zipkin}, {@code
 * envoy.tracers.opentelemetry}).
 *
 * <p>The stats filter's config may be a {@code google.protobuf.Struct}, a {@code
 * udpa.type.v1.TypedStruct} or {@code xds.type.v3.TypedStruct} wrapping one, or Istio's own
 * {@code stats.PluginConfig} (whose proto this proxy does not carry: accepted with defaults). The
 * one key read is {@code reporter}: {@code source}, {@code destination} or {@code waypoint}
 * (Istio's {@code SERVER_GATEWAY} is read as {@code waypoint}).
 */
public final class TelemetryParser {
  /** Istio's HTTP and network stats filter. */
  public static final String STATS_FILTER = "istio.stats";
  /** Istio's peer metadata exchange filter (HTTP). */
  public static final String EXCHANGE_FILTER = "istio.metadata_exchange";
  private static final String STRUCT = "type.googleapis.com/google.protobuf.Struct";
  private static final String UDPA_TYPED_STRUCT = "type.googleapis.com/udpa.type.v1.TypedStruct";
  private static final String XDS_TYPED_STRUCT = "type.googleapis.com/xds.type.v3.TypedStruct";
  private static final String ZIPKIN = "type.googleapis.com/envoy.config.trace.v3.ZipkinConfig";
  private static final String OTEL = "type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig";

  private TelemetryParser() {}

  /** Whether a filter (by name or config type) is Istio's stats filter. */
  public static boolean isStats(String name, Any typedConfig) {
    return name.equals(STATS_FILTER) || typedConfig.getTypeUrl().endsWith("/stats.PluginConfig")
        || typedStructType(typedConfig).endsWith("/stats.PluginConfig");
  }

  /** Whether a filter (by name or config type) is Istio's metadata exchange. */
  public static boolean isExchange(String name, Any typedConfig) {
    return name.equals(EXCHANGE_FILTER) || typedConfig.getTypeUrl().endsWith("io.istio.http.peer_metadata.Config")
        || typedConfig.getTypeUrl().endsWith("envoy.tcp.metadataexchange.config.MetadataExchange");
  }

  private static String typedStructType(Any any) {
    try {
      return switch (any.getTypeUrl()) {
        case UDPA_TYPED_STRUCT -> Protos.unpack(any, UDPA_TYPED_STRUCT, com.github.udpa.udpa.type.v1.TypedStruct.parser())
            .getTypeUrl();
        case XDS_TYPED_STRUCT -> Protos.unpack(any, XDS_TYPED_STRUCT, com.github.xds.type.v3.TypedStruct.parser())
            .getTypeUrl();
        default -> "";
      };
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return "";
    }
  }

  /** Parses the stats filter's config. */
  public static StatsConfig stats(Any any) {
    Struct s = switch (any.getTypeUrl()) {
      case STRUCT -> FilterParser.unpack("typed_config", any, STRUCT, Struct.parser());
      case UDPA_TYPED_STRUCT -> FilterParser.unpack("typed_config", any, UDPA_TYPED_STRUCT,
          com.github.udpa.udpa.type.v1.TypedStruct.parser()).getValue();
      case XDS_TYPED_STRUCT -> FilterParser.unpack("typed_config", any, XDS_TYPED_STRUCT,
          com.github.xds.type.v3.TypedStruct.parser()).getValue();
      default -> Struct.getDefaultInstance(); // stats.PluginConfig: defaults
    };
    Value r = s.getFieldsOrDefault("reporter", null);
    if (r == null) {
      return StatsConfig.DEFAULT;
    }
    Reporter reporter = switch (r.getStringValue().toLowerCase(Locale.ROOT)) {
      case "source", "client" -> Reporter.SOURCE;
      case "destination", "server" -> Reporter.DESTINATION;
      case "waypoint", "server_gateway" -> Reporter.WAYPOINT;
      case "", "unspecified" -> null;
      default -> throw invalid("typed_config.reporter", r.getStringValue(), "source, destination or waypoint");
    };
    return reporter == null ? StatsConfig.DEFAULT : new StatsConfig(reporter);
  }

  /** Parses the connection manager's {@code tracing}. */
  public static TracingConfig tracing(HttpConnectionManager.Tracing t) {
    Fraction sampling = t.hasRandomSampling()
        ? at("random_sampling", () -> percent(t.getRandomSampling().getValue()))
        : TracingConfig.DEFAULT_SAMPLING;
    TraceProvider provider = t.hasProvider()
        ? at("provider", () -> provider(t.getProvider().getName(), t.getProvider().getTypedConfig()))
        : null;
    Map<String, String> tags = new LinkedHashMap<>();
    for (var ct : t.getCustomTagsList()) {
      if (ct.hasLiteral()) {
        tags.put(ct.getTag(), ct.getLiteral().getValue());
      }
    }
    boolean spawn = t.hasSpawnUpstreamSpan() && t.getSpawnUpstreamSpan().getValue();
    return new TracingConfig(sampling, spawn, provider, tags);
  }

  private static Fraction percent(double v) {
    if (v < 0 || v > 100 || Double.isNaN(v)) {
      throw invalid("value", v, "0..100");
    }
    return Fraction.percent(v);
  }

  /**
   * Parses a tracer provider ({@code name} and {@code typed_config}); {@code null} for a provider
   * this proxy does not export to (its spans are still propagated).
   */
  public static @Nullable TraceProvider provider(String name, Any typed) {
    return switch (typed.getTypeUrl()) {
      case ZIPKIN -> {
        ZipkinConfig z = FilterParser.unpack("typed_config", typed, ZIPKIN, ZipkinConfig.parser());
        if (z.getCollectorEndpointVersion() == ZipkinConfig.CollectorEndpointVersion.GRPC) {
          throw invalid("collector_endpoint_version", "GRPC", "HTTP_JSON");
        }
        yield new TraceProvider.Zipkin(z.getCollectorCluster(),
            z.getCollectorEndpoint().isEmpty() ? "/api/v2/spans" : z.getCollectorEndpoint(),
            z.getCollectorHostname().isEmpty() ? null : z.getCollectorHostname());
      }
      case OTEL -> {
        OpenTelemetryConfig o = FilterParser.unpack("typed_config", typed, OTEL, OpenTelemetryConfig.parser());
        String service = o.getServiceName().isEmpty() ? "unknown_service:sluice" : o.getServiceName();
        if (o.hasHttpService()) {
          var hs = o.getHttpService().getHttpUri();
          String path = java.net.URI.create(hs.getUri().isEmpty() ? "/v1/traces" : hs.getUri()).getRawPath();
          yield new TraceProvider.OpenTelemetry(hs.getCluster(), path == null || path.isEmpty() ? "/v1/traces" : path,
              service);
        }
        if (o.hasGrpcService() && o.getGrpcService().hasEnvoyGrpc()) {
          yield new TraceProvider.OpenTelemetry(o.getGrpcService().getEnvoyGrpc().getClusterName(), null, service);
        }
        throw invalid("grpc_service", "unset", "envoy_grpc or http_service");
      }
      default -> {
        if (name.equals("envoy.tracers.zipkin") || name.equals("envoy.tracers.opentelemetry")) {
          throw invalid("typed_config", typed.getTypeUrl(), "ZipkinConfig or OpenTelemetryConfig");
        }
        yield null; // datadog, skywalking, ...: propagate only
      }
    };
  }
}
