package dev.sluice.translate;

import com.github.xds.type.v3.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HttpService;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.Tracing;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.v3.Percent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's telemetry config as istiod adds it to listeners: the peer metadata exchange ({@code
 * istio.metadata_exchange}) first and the stats filter ({@code istio.stats}) just before the router
 * in every connection manager, the network equivalents in front of every TCP proxy, the HCM's
 * {@code tracing} (sampling and provider from the mesh config), and a file access log when the mesh
 * config asks for one. The reporter is not written into the stats config: like istiod, it follows
 * from the listener's {@code traffic_direction} (INBOUND: destination; otherwise, gateways
 * included: source).
 */
final class Telemetry {
  private Telemetry() {}

  static final String EXCHANGE = "istio.metadata_exchange";
  static final String STATS = "istio.stats";
  private static final String TYPE_PREFIX = "type.googleapis.com/";

  // Constant filters are built once (STYLE §7: pre-marshal constant protos).
  private static final HttpFilter HTTP_STATS = HttpFilter.newBuilder().setName(STATS)
      .setTypedConfig(typedStruct("stats.PluginConfig", Struct.getDefaultInstance())).build();
  private static final HttpFilter EXCHANGE_OUTBOUND = httpExchange("upstream");
  private static final HttpFilter EXCHANGE_INBOUND = httpExchange("downstream");
  private static final Filter TCP_STATS = Filter.newBuilder().setName(STATS)
      .setTypedConfig(typedStruct("stats.PluginConfig", Struct.getDefaultInstance())).build();
  private static final Filter TCP_EXCHANGE = Filter.newBuilder().setName(EXCHANGE)
      .setTypedConfig(typedStruct("envoy.tcp.metadataexchange.config.MetadataExchange",
          Struct.newBuilder().putFields("protocol", string("istio-peer-exchange")).build())).build();

  /**
   * Istio's default text access-log format ({@code EnvoyTextLogFormat}); this proxy names the
   * cluster with {@code %UPSTREAM_CLUSTER%}.
   */
  static final String TEXT_FORMAT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" "
      + "%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "
      + "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
      + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
      + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER% "
      + "%UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% "
      + "%ROUTE_NAME%\n";

  /** Istio's default JSON access-log fields ({@code EnvoyJSONLogFormatIstio}), in its order. */
  static final Map<String, String> JSON_FORMAT = json();

  private static Map<String, String> json() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("start_time", "%START_TIME%");
    m.put("method", "%REQ(:METHOD)%");
    m.put("path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%");
    m.put("protocol", "%PROTOCOL%");
    m.put("response_code", "%RESPONSE_CODE%");
    m.put("response_flags", "%RESPONSE_FLAGS%");
    m.put("response_code_details", "%RESPONSE_CODE_DETAILS%");
    m.put("connection_termination_details", "%CONNECTION_TERMINATION_DETAILS%");
    m.put("upstream_transport_failure_reason", "%UPSTREAM_TRANSPORT_FAILURE_REASON%");
    m.put("bytes_received", "%BYTES_RECEIVED%");
    m.put("bytes_sent", "%BYTES_SENT%");
    m.put("duration", "%DURATION%");
    m.put("upstream_service_time", "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%");
    m.put("x_forwarded_for", "%REQ(X-FORWARDED-FOR)%");
    m.put("user_agent", "%REQ(USER-AGENT)%");
    m.put("request_id", "%REQ(X-REQUEST-ID)%");
    m.put("authority", "%REQ(:AUTHORITY)%");
    m.put("upstream_host", "%UPSTREAM_HOST%");
    m.put("upstream_cluster", "%UPSTREAM_CLUSTER%");
    m.put("upstream_local_address", "%UPSTREAM_LOCAL_ADDRESS%");
    m.put("downstream_local_address", "%DOWNSTREAM_LOCAL_ADDRESS%");
    m.put("downstream_remote_address", "%DOWNSTREAM_REMOTE_ADDRESS%");
    m.put("requested_server_name", "%REQUESTED_SERVER_NAME%");
    m.put("route_name", "%ROUTE_NAME%");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The filters that go first in a connection manager (the metadata exchange). */
  static List<HttpFilter> leadingHttpFilters(MeshTelemetry m, boolean inbound) {
    return m.enabled() ? List.of(inbound ? EXCHANGE_INBOUND : EXCHANGE_OUTBOUND) : List.of();
  }

  /** The filters that go just before the router (the stats filter). */
  static List<HttpFilter> trailingHttpFilters(MeshTelemetry m) {
    return m.enabled() ? List.of(HTTP_STATS) : List.of();
  }

  /** The network filters in front of a TCP proxy. */
  static List<Filter> tcpFilters(MeshTelemetry m) {
    return m.enabled() ? List.of(TCP_EXCHANGE, TCP_STATS) : List.of();
  }

  /** Adds {@code tracing} and {@code node}'s access log to a connection manager. */
  static void apply(MeshTelemetry m, HttpConnectionManager.Builder h, ProxyNode node) {
    if (m.enabled()) {
      h.setTracing(tracing(m));
    }
    String path = m.accessLogPath(node);
    if (path != null) {
      h.addAccessLog(accessLog(m, path));
    }
  }

  /** The HCM's {@code tracing}: istiod's sampling fields and, with a collector, the provider. */
  static HttpConnectionManager.Tracing tracing(MeshTelemetry m) {
    HttpConnectionManager.Tracing.Builder t = HttpConnectionManager.Tracing.newBuilder()
        .setClientSampling(Percent.newBuilder().setValue(100))
        .setRandomSampling(Percent.newBuilder().setValue(m.samplingPercent()))
        .setOverallSampling(Percent.newBuilder().setValue(100));
    MeshTelemetry.Tracer tr = m.tracer();
    if (tr != null) {
      t.setProvider(switch (tr.kind()) {
        case ZIPKIN -> Tracing.Http.newBuilder().setName("envoy.tracers.zipkin").setTypedConfig(Any.pack(
            ZipkinConfig.newBuilder().setCollectorCluster(tr.cluster())
                .setCollectorEndpoint(tr.httpPath() == null ? "/api/v2/spans" : tr.httpPath())
                .setCollectorEndpointVersion(ZipkinConfig.CollectorEndpointVersion.HTTP_JSON)
                .setTraceId128Bit(true).setSharedSpanContext(BoolValue.of(false))
                .setCollectorHostname(tr.service()).build()));
        case OPENTELEMETRY -> {
          OpenTelemetryConfig.Builder o = OpenTelemetryConfig.newBuilder();
          if (tr.httpPath() == null) {
            o.setGrpcService(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder()
                .setClusterName(tr.cluster()).setAuthority(tr.service())));
          } else {
            o.setHttpService(HttpService.newBuilder().setHttpUri(HttpUri.newBuilder()
                .setUri("http://" + tr.service() + ":" + tr.port() + tr.httpPath()).setCluster(tr.cluster())
                .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(2))));
          }
          yield Tracing.Http.newBuilder().setName("envoy.tracers.opentelemetry")
              .setTypedConfig(Any.pack(o.build()));
        }
      });
    }
    return t.build();
  }

  /** {@code envoy.access_loggers.file} with Istio's text or JSON format (or the mesh's own). */
  static AccessLog accessLog(MeshTelemetry m, String path) {
    SubstitutionFormatString.Builder f = SubstitutionFormatString.newBuilder();
    if (m.accessLogJson()) {
      Struct.Builder s = Struct.newBuilder();
      if (m.accessLogFormat() != null) {
        f.setTextFormatSource(DataSource.newBuilder().setInlineString(m.accessLogFormat()));
        // Istio parses a custom JSON format from the string; kept as text when it is not JSON.
        Map<String, String> custom = customJson(m.accessLogFormat());
        if (custom != null) {
          custom.forEach((k, v) -> s.putFields(k, string(v)));
          f = SubstitutionFormatString.newBuilder().setJsonFormat(s);
        }
      } else {
        JSON_FORMAT.forEach((k, v) -> s.putFields(k, string(v)));
        f.setJsonFormat(s);
      }
    } else {
      String text = m.accessLogFormat() == null ? TEXT_FORMAT
          : m.accessLogFormat().endsWith("\n") ? m.accessLogFormat() : m.accessLogFormat() + "\n";
      f.setTextFormatSource(DataSource.newBuilder().setInlineString(text));
    }
    return AccessLog.newBuilder().setName("envoy.access_loggers.file").setTypedConfig(Any.pack(
        FileAccessLog.newBuilder().setPath(path).setLogFormat(f).build())).build();
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private static @org.jspecify.annotations.Nullable Map<String, String> customJson(String format) {
    try {
      var node = JSON.readTree(format);
      if (node == null || !node.isObject()) {
        return null;
      }
      Map<String, String> out = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
      return out;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static HttpFilter httpExchange(String side) {
    Value istioHeaders = Value.newBuilder().setStructValue(Struct.newBuilder()
        .putFields("istio_headers", Value.newBuilder().setStructValue(Struct.getDefaultInstance()).build())).build();
    Value list = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(istioHeaders)).build();
    Struct cfg = Struct.newBuilder().putFields(side + "_discovery", list).putFields(side + "_propagation", list).build();
    return HttpFilter.newBuilder().setName(EXCHANGE)
        .setTypedConfig(typedStruct("io.istio.http.peer_metadata.Config", cfg)).build();
  }

  private static Any typedStruct(String type, Struct value) {
    return Any.pack(TypedStruct.newBuilder().setTypeUrl(TYPE_PREFIX + type).setValue(value).build());
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
