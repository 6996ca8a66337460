package dev.sluice.proxy.core.listener;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.core.filter.HttpFilterSpec;
import dev.sluice.proxy.core.telemetry.StatsConfig;
import dev.sluice.proxy.core.telemetry.TracingConfig;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Settings of Envoy's HTTP connection manager that the proxy honours.
 *
 * @param serverName the {@code server} response header value (Envoy default {@code envoy}; Istio
 *     sets {@code istio-envoy})
 * @param useRemoteAddress append the peer address to {@code x-forwarded-for}
 * @param maxRequestHeadersKb the request header size limit (431 above it)
 * @param maxHeadersCount the request header count limit (431 above it)
 * @param idleTimeout downstream connection idle timeout; zero disables it
 * @param httpFilters the HTTP filters run before the router, in order
 * @param stats Istio's standard metrics ({@code istio.stats}); {@code null} when not configured
 * @param peerExchange Istio's peer metadata exchange ({@code istio.metadata_exchange}) through
 *     the {@code x-envoy-peer-metadata} headers
 * @param tracing trace propagation and spans; {@code null} leaves trace headers alone
 * @param allowAbsoluteUrl accept absolute-form request targets ({@code GET http://host/path},
 *     what a client sends to an HTTP proxy): routed by the URI's authority and forwarded in
 *     origin-form ({@code http_protocol_options.allow_absolute_url}, Envoy's default true); when
 *     false they are rejected with 400
 */
public record HttpConnectionManager(
    String statPrefix,
    RouteSource routes,
    String serverName,
    ServerHeader serverHeader,
    boolean useRemoteAddress,
    boolean skipXffAppend,
    boolean generateRequestId,
    boolean preserveExternalRequestId,
    int maxRequestHeadersKb,
    int maxHeadersCount,
    Duration idleTimeout,
    List<AccessLog> accessLogs,
    boolean allowWebsocket,
    List<HttpFilterSpec> httpFilters,
    @Nullable StatsConfig stats,
    boolean peerExchange,
    @Nullable TracingConfig tracing,
    boolean allowAbsoluteUrl)
    implements NetworkFilter {

  /** How the {@code server} response header is produced. */
  public enum ServerHeader {
    OVERWRITE,
    APPEND_IF_ABSENT,
    PASS_THROUGH
  }

  public HttpConnectionManager {
    requireNonNull(statPrefix, "statPrefix");
    requireNonNull(routes, "routes");
    requireNonNull(serverName, "serverName");
    requireNonNull(serverHeader, "serverHeader");
    requireNonNull(idleTimeout, "idleTimeout");
    accessLogs = List.copyOf(accessLogs);
    httpFilters = List.copyOf(httpFilters);
    if (maxRequestHeadersKb < 1 || maxRequestHeadersKb > 8192) {
      throw new IllegalArgumentException(
          "max_request_headers_kb: " + maxRequestHeadersKb + " (expected: 1..8192)");
    }
    if (maxHeadersCount < 1) {
      throw new IllegalArgumentException(
          "common_http_protocol_options.max_headers_count: " + maxHeadersCount + " (expected: >= 1)");
    }
  }

  /** A connection manager without telemetry. */
  public HttpConnectionManager(String statPrefix, RouteSource routes, String serverName,
      ServerHeader serverHeader, boolean useRemoteAddress, boolean skipXffAppend,
      boolean generateRequestId, boolean preserveExternalRequestId, int maxRequestHeadersKb,
      int maxHeadersCount, Duration idleTimeout, List<AccessLog> accessLogs, boolean allowWebsocket,
      List<HttpFilterSpec> httpFilters) {
    this(statPrefix, routes, serverName, serverHeader, useRemoteAddress, skipXffAppend,
        generateRequestId, preserveExternalRequestId, maxRequestHeadersKb, maxHeadersCount,
        idleTimeout, accessLogs, allowWebsocket, httpFilters, null, false, null, true);
  }

  /** A connection manager without HTTP filters besides the router. */
  public HttpConnectionManager(String statPrefix, RouteSource routes, String serverName,
      ServerHeader serverHeader, boolean useRemoteAddress, boolean skipXffAppend,
      boolean generateRequestId, boolean preserveExternalRequestId, int maxRequestHeadersKb,
      int maxHeadersCount, Duration idleTimeout, List<AccessLog> accessLogs, boolean allowWebsocket) {
    this(statPrefix, routes, serverName, serverHeader, useRemoteAddress, skipXffAppend,
        generateRequestId, preserveExternalRequestId, maxRequestHeadersKb, maxHeadersCount,
        idleTimeout, accessLogs, allowWebsocket, List.of());
  }

  /** Envoy's defaults around a route source. */
  public static HttpConnectionManager defaults(String statPrefix, RouteSource routes) {
    return new HttpConnectionManager(
        statPrefix, routes, "envoy", ServerHeader.OVERWRITE, false, false, true, false, 60, 100,
        Duration.ofHours(1), List.of(), true);
  }
}
