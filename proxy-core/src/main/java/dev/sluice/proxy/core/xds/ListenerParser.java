package dev.sluice.proxy.core.xds;

import static dev.sluice.proxy.core.xds.Fields.at;
import static dev.sluice.proxy.core.xds.Fields.invalid;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sluice.proxy.core.filter.HttpFilterSpec;
import dev.sluice.proxy.core.listener.AccessLog;
import dev.sluice.proxy.core.listener.HttpConnectionManager;
import dev.sluice.proxy.core.listener.Listener;
import dev.sluice.proxy.core.listener.NetworkFilter;
import dev.sluice.proxy.core.listener.RouteSource;
import dev.sluice.proxy.core.listener.TcpProxy;
import dev.sluice.proxy.core.route.ClusterSpecifier;
import dev.sluice.proxy.core.route.WeightedCluster;
import dev.sluice.proxy.core.telemetry.StatsConfig;
import dev.sluice.proxy.core.telemetry.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns an Envoy {@code Listener} into a {@link Listener}. The listener's filter chain is the
 * first chain without a {@code filter_chain_match}, else the {@code default_filter_chain}, else
 * the first chain; its last network filter must be the HTTP connection manager or the TCP proxy.
 */
public final class ListenerParser {
  private static final String HCM_TYPE =
      "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
  private static final String TCP_TYPE =
      "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";
  private static final String FILE_LOG_TYPE =
      "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog";
  private static final String STDOUT_LOG_TYPE =
      "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog";
  private static final String STDERR_LOG_TYPE =
      "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StderrAccessLog";

  /**
   * HTTP filters accepted and skipped: they add nothing this proxy needs for routing ({@code
   * istio.stats} and {@code istio.metadata_exchange} are recognised first and turn on Istio's
   * metrics and the peer metadata exchange, see {@link TelemetryParser}). Any other
   * filter except the router must be {@code is_optional} or the listener is rejected.
   */
  static final Set<String> SKIPPED_HTTP_FILTERS = Set.of(
      "envoy.filters.http.grpc_stats", "envoy.filters.http.alpn",
      "istio.alpn", "istio.metadata_exchange", "istio.stats", "envoy.filters.http.grpc_web");

  private ListenerParser() {}

  /**
   * Parses one listener.
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public static Listener parse(io.envoyproxy.envoy.config.listener.v3.Listener l) {
    if (!l.getAddress().hasSocketAddress()) {
      throw invalid("address", l.getAddress().getAddressCase(), "socket_address");
    }
    var sa = l.getAddress().getSocketAddress();
    FilterChain chain = null;
    String chainField = null;
    for (int i = 0; i < l.getFilterChainsCount(); i++) {
      if (!l.getFilterChains(i).hasFilterChainMatch()) {
        chain = l.getFilterChains(i);
        chainField = "filter_chains[" + i + "]";
        break;
      }
    }
    if (chain == null && l.hasDefaultFilterChain()) {
      chain = l.getDefaultFilterChain();
      chainField = "default_filter_chain";
    }
    if (chain == null && l.getFilterChainsCount() > 0) {
      chain = l.getFilterChains(0);
      chainField = "filter_chains[0]";
    }
    if (chain == null) {
      throw invalid("filter_chains", "[]", "at least one filter chain");
    }
    FilterChain fc = chain;
    NetworkFilter filter = at(chainField, () -> terminalFilter(fc));
    TrafficDirection direction = switch (l.getTrafficDirection()) {
      case INBOUND -> TrafficDirection.INBOUND;
      case OUTBOUND -> TrafficDirection.OUTBOUND;
      default -> TrafficDirection.UNSPECIFIED;
    };
    return new Listener(l.getName(), sa.getAddress(), sa.getPortValue(), filter, direction,
        !l.hasBindToPort() || l.getBindToPort().getValue());
  }

  private static NetworkFilter terminalFilter(FilterChain fc) {
    if (fc.getFiltersCount() == 0) {
      throw invalid("filters", "[]", "a terminal http_connection_manager or tcp_proxy filter");
    }
    int last = fc.getFiltersCount() - 1;
    var f = fc.getFilters(last);
    StatsConfig tcpStats = null;
    for (int i = 0; i < last; i++) {
      var nf = fc.getFilters(i);
      if (TelemetryParser.isStats(nf.getName(), nf.getTypedConfig())) {
        tcpStats = at("filters[" + i + "].typed_config", () -> TelemetryParser.stats(nf.getTypedConfig()));
      }
    }
    StatsConfig networkStats = tcpStats;
    return at("filters[" + last + "]", () -> {
      Any any = f.getTypedConfig();
      return switch (any.getTypeUrl()) {
        case HCM_TYPE -> hcm(unpack(any, HCM_TYPE,
            io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.parser()));
        case TCP_TYPE -> tcp(unpack(any, TCP_TYPE,
            io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.parser()), networkStats);
        default -> throw invalid("typed_config", any.getTypeUrl(), "HttpConnectionManager or TcpProxy");
      };
    });
  }

  static <T extends Message> T unpack(Any any, String typeUrl, Parser<T> parser) {
    return FilterParser.unpack("typed_config", any, typeUrl, parser);
  }

  static HttpConnectionManager hcm(
      io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager h) {
    RouteSource routes = switch (h.getRouteSpecifierCase()) {
      case RDS -> at("rds", () -> new RouteSource.Rds(h.getRds().getRouteConfigName()));
      case ROUTE_CONFIG -> new RouteSource.Inline(
          at("route_config", () -> RouteConfigurationParser.parse(h.getRouteConfig())));
      default -> throw invalid("route_specifier", h.getRouteSpecifierCase(), "rds or route_config");
    };
    boolean routerSeen = false;
    StatsConfig stats = null;
    boolean exchange = false;
    List<HttpFilterSpec> filters = new ArrayList<>();
    for (int i = 0; i < h.getHttpFiltersCount(); i++) {
      HttpFilter f = h.getHttpFilters(i);
      String type = f.getTypedConfig().getTypeUrl();
      boolean router = f.getName().equals("envoy.filters.http.router")
          || type.endsWith("envoy.extensions.filters.http.router.v3.Router");
      if (f.getDisabled()) {
        continue; // enabled per route only; per-route enabling is not supported
      }
      if (type.equals(FilterParser.FAULT_TYPE)) {
        int idx = i;
        filters.add(new HttpFilterSpec.Fault(f.getName(), at("http_filters[" + idx + "]",
            () -> FilterParser.fault(FilterParser.unpack("typed_config", f.getTypedConfig(), FilterParser.FAULT_TYPE,
                io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.parser())))));
      } else if (type.equals(FilterParser.CORS_TYPE)
          || type.equals("type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors")) {
        filters.add(new HttpFilterSpec.Cors(f.getName()));
      } else if (TelemetryParser.isStats(f.getName(), f.getTypedConfig())) {
        int idx = i;
        stats = at("http_filters[" + idx + "].typed_config", () -> TelemetryParser.stats(f.getTypedConfig()));
      } else if (TelemetryParser.isExchange(f.getName(), f.getTypedConfig())) {
        exchange = true;
      } else if (router) {
        if (i != h.getHttpFiltersCount() - 1) {
          throw invalid("http_filters[" + i + "]", f.getName(), "the router to be the last filter");
        }
        routerSeen = true;
      } else if (!f.getIsOptional() && !SKIPPED_HTTP_FILTERS.contains(f.getName())) {
        throw invalid("http_filters[" + i + "]", f.getName(),
            "envoy.filters.http.router, a skipped filter " + SKIPPED_HTTP_FILTERS + " or is_optional: true");
      }
    }
    if (h.getHttpFiltersCount() > 0 && !routerSeen) {
      throw invalid("http_filters", "no envoy.filters.http.router", "the router as the last filter");
    }
    var sht = switch (h.getServerHeaderTransformation()) {
      case APPEND_IF_ABSENT -> HttpConnectionManager.ServerHeader.APPEND_IF_ABSENT;
      case PASS_THROUGH -> HttpConnectionManager.ServerHeader.PASS_THROUGH;
      default -> HttpConnectionManager.ServerHeader.OVERWRITE;
    };
    List<AccessLog> logs = new ArrayList<>();
    for (int i = 0; i < h.getAccessLogCount(); i++) {
      var al = h.getAccessLog(i);
      logs.add(at("access_log[" + i + "]", () -> accessLog(al.getTypedConfig())));
    }
    boolean ws = false;
    for (var u : h.getUpgradeConfigsList()) {
      if (u.getUpgradeType().equalsIgnoreCase("websocket") && (!u.hasEnabled() || u.getEnabled().getValue())) {
        ws = true;
      }
    }
    Duration idle = Duration.ofHours(1);
    if (h.getCommonHttpProtocolOptions().hasIdleTimeout()) {
      idle = Fields.duration(h.getCommonHttpProtocolOptions().getIdleTimeout());
    }
    int maxHeaders = h.getCommonHttpProtocolOptions().hasMaxHeadersCount()
        ? h.getCommonHttpProtocolOptions().getMaxHeadersCount().getValue() : 100;
    return new HttpConnectionManager(
        h.getStatPrefix(),
        routes,
        h.getServerName().isEmpty() ? "envoy" : h.getServerName(),
        sht,
        h.hasUseRemoteAddress() && h.getUseRemoteAddress().getValue(),
        h.getSkipXffAppend(),
        !h.hasGenerateRequestId() || h.getGenerateRequestId().getValue(),
        h.getPreserveExternalRequestId(),
        h.hasMaxRequestHeadersKb() ? h.getMaxRequestHeadersKb().getValue() : 60,
        maxHeaders,
        idle,
        logs,
        ws,
        filters,
        stats,
        exchange,
        h.hasTracing() ? at("tracing", () -> TelemetryParser.tracing(h.getTracing())) : null,
        !h.getHttpProtocolOptions().hasAllowAbsoluteUrl() || h.getHttpProtocolOptions().getAllowAbsoluteUrl().getValue());
  }

  static AccessLog accessLog(Any any) {
    String url = any.getTypeUrl();
    io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString fmt;
    String path;
    if (url.endsWith(".FileAccessLog")) {
      FileAccessLog f = unpack(any, FILE_LOG_TYPE, FileAccessLog.parser());
      path = f.getPath();
      switch (f.getAccessLogFormatCase()) {
        case FORMAT -> {
          return new AccessLog(path, f.getFormat(), Map.of());
        }
        case JSON_FORMAT -> {
          return new AccessLog(path, null, jsonFields(f.getJsonFormat()));
        }
        case LOG_FORMAT -> fmt = f.getLogFormat();
        case ACCESSLOGFORMAT_NOT_SET -> fmt = null;
        default -> throw invalid("access_log_format", f.getAccessLogFormatCase(), "format, json_format or log_format");
      }
    } else if (url.endsWith(".StdoutAccessLog")) {
      StdoutAccessLog s = unpack(any, STDOUT_LOG_TYPE, StdoutAccessLog.parser());
      path = "/dev/stdout";
      fmt = s.hasLogFormat() ? s.getLogFormat() : null;
    } else if (url.endsWith(".StderrAccessLog")) {
      StderrAccessLog s = unpack(any, STDERR_LOG_TYPE, StderrAccessLog.parser());
      path = "/dev/stderr";
      fmt = s.hasLogFormat() ? s.getLogFormat() : null;
    } else {
      throw invalid("typed_config", url, "FileAccessLog, StdoutAccessLog or StderrAccessLog");
    }
    if (fmt == null) {
      return new AccessLog(path, null, Map.of());
    }
    return switch (fmt.getFormatCase()) {
      case TEXT_FORMAT -> new AccessLog(path, fmt.getTextFormat(), Map.of());
      case TEXT_FORMAT_SOURCE -> new AccessLog(path,
          fmt.getTextFormatSource().getInlineString().isEmpty()
              ? fmt.getTextFormatSource().getInlineBytes().toString(StandardCharsets.UTF_8)
              : fmt.getTextFormatSource().getInlineString(), Map.of());
      case JSON_FORMAT -> new AccessLog(path, null, jsonFields(fmt.getJsonFormat()));
      default -> throw invalid("log_format", fmt.getFormatCase(), "text_format, text_format_source or json_format");
    };
  }

  private static Map<String, String> jsonFields(Struct s) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Value> e : s.getFieldsMap().entrySet()) {
      Value v = e.getValue();
      if (v.getKindCase() != Value.KindCase.STRING_VALUE) {
        throw invalid("json_format." + e.getKey(), v.getKindCase(), "a string format");
      }
      out.put(e.getKey(), v.getStringValue());
    }
    if (out.isEmpty()) {
      throw invalid("json_format", "{}", "at least one key");
    }
    return out;
  }

  static TcpProxy tcp(io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy t,
      @Nullable StatsConfig stats) {
    ClusterSpecifier cs = switch (t.getClusterSpecifierCase()) {
      case CLUSTER -> at("cluster", () -> new ClusterSpecifier.Single(t.getCluster()));
      case WEIGHTED_CLUSTERS -> at("weighted_clusters", () -> {
        List<WeightedCluster> list = new ArrayList<>();
        for (int i = 0; i < t.getWeightedClusters().getClustersCount(); i++) {
          var c = t.getWeightedClusters().getClusters(i);
          int idx = i;
          list.add(at("clusters[" + idx + "]", () -> WeightedCluster.of(c.getName(), c.getWeight())));
        }
        return ClusterSpecifier.Weighted.of(list);
      });
      default -> throw invalid("cluster_specifier", t.getClusterSpecifierCase(), "cluster or weighted_clusters");
    };
    Duration idle = t.hasIdleTimeout() ? Fields.duration(t.getIdleTimeout()) : Duration.ofHours(1);
    return new TcpProxy(t.getStatPrefix(), cs, idle, stats);
  }
}
