package dev.sluice.config.istio;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sluice.config.Immutables;
import dev.sluice.config.istio.Common.Destination;
import dev.sluice.config.istio.Common.Percent;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code networking.istio.io VirtualService}: routing rules for a set of hosts. */
public record VirtualService(
    List<String> hosts,
    List<String> gateways,
    List<HttpRoute> http,
    List<TlsRoute> tls,
    List<TcpRoute> tcp,
    List<String> exportTo) implements Spec {

  public VirtualService {
    hosts = Immutables.list(hosts);
    gateways = Immutables.list(gateways);
    http = Immutables.list(http);
    tls = Immutables.list(tls);
    tcp = Immutables.list(tcp);
    exportTo = Immutables.list(exportTo);
  }

  /** {@code HTTPRoute}. */
  public record HttpRoute(
      @Nullable String name,
      List<HttpMatchRequest> match,
      List<HttpRouteDestination> route,
      @Nullable HttpRedirect redirect,
      @Nullable HttpDirectResponse directResponse,
      @Nullable Delegate delegate,
      @Nullable HttpRewrite rewrite,
      @Nullable String timeout,
      @Nullable HttpRetry retries,
      @Nullable HttpFaultInjection fault,
      @Nullable Destination mirror,
      @Nullable Integer mirrorPercent,
      @JsonProperty("mirror_percent") @Nullable Integer mirrorPercentLegacy,
      @Nullable Percent mirrorPercentage,
      List<HttpMirrorPolicy> mirrors,
      @Nullable CorsPolicy corsPolicy,
      @Nullable Headers headers) {
    public HttpRoute {
      match = Immutables.list(match);
      route = Immutables.list(route);
      mirrors = Immutables.list(mirrors);
    }
  }

  /** {@code HTTPMatchRequest}: all fields are ANDed. */
  public record HttpMatchRequest(
      @Nullable String name,
      @Nullable StringMatch uri,
      @Nullable StringMatch scheme,
      @Nullable StringMatch method,
      @Nullable StringMatch authority,
      @Nullable Map<String, @Nullable StringMatch> headers,
      @Nullable Integer port,
      Map<String, String> sourceLabels,
      List<String> gateways,
      @Nullable Map<String, @Nullable StringMatch> queryParams,
      @Nullable Boolean ignoreUriCase,
      @Nullable Map<String, @Nullable StringMatch> withoutHeaders,
      @Nullable String sourceNamespace,
      @Nullable String statPrefix) {
    public HttpMatchRequest {
      headers = Immutables.nullableMap(headers);
      sourceLabels = Immutables.map(sourceLabels);
      gateways = Immutables.list(gateways);
      queryParams = Immutables.nullableMap(queryParams);
      withoutHeaders = Immutables.nullableMap(withoutHeaders);
    }

    public int portOrZero() {
      return port == null ? 0 : port;
    }
  }

  /** {@code HTTPRouteDestination}. */
  public record HttpRouteDestination(@Nullable Destination destination, @Nullable Integer weight,
      @Nullable Headers headers) {
    public int weightOrZero() {
      return weight == null ? 0 : weight;
    }
  }

  /** {@code RouteDestination} of TCP and TLS routes. */
  public record RouteDestination(@Nullable Destination destination, @Nullable Integer weight) {
    public int weightOrZero() {
      return weight == null ? 0 : weight;
    }
  }

  /** {@code Headers}: request and response header operations. */
  public record Headers(@Nullable HeaderOperations request, @Nullable HeaderOperations response) {}

  /** {@code Headers.HeaderOperations}. */
  public record HeaderOperations(Map<String, String> set, Map<String, String> add, List<String> remove) {
    public HeaderOperations {
      set = Immutables.map(set);
      add = Immutables.map(add);
      remove = Immutables.list(remove);
    }
  }

  /** {@code HTTPRedirect}. */
  public record HttpRedirect(
      @Nullable String uri,
      @Nullable String authority,
      @Nullable Integer port,
      @Nullable String derivePort,
      @Nullable String scheme,
      @Nullable Integer redirectCode,
      @Nullable String prefixRewrite) {}

  /** {@code HTTPDirectResponse}. */
  public record HttpDirectResponse(@Nullable Integer status, @Nullable HttpBody body) {}

  /** {@code HTTPBody}: one of {@code string} or {@code bytes} (base64). */
  public record HttpBody(@Nullable String string, @Nullable String bytes) {}

  /** {@code Delegate}. */
  public record Delegate(@Nullable String name, @Nullable String namespace) {}

  /** {@code HTTPRewrite}. */
  public record HttpRewrite(@Nullable String uri, @Nullable String authority,
      @Nullable RegexRewrite uriRegexRewrite) {}

  /** {@code RegexRewrite}. */
  public record RegexRewrite(@Nullable String match, @Nullable String rewrite) {}

  /** {@code HTTPRetry}. */
  public record HttpRetry(
      @Nullable Integer attempts,
      @Nullable String perTryTimeout,
      @Nullable String retryOn,
      @Nullable Boolean retryRemoteLocalities,
      @Nullable Boolean retryIgnorePreviousHosts,
      @Nullable String backoff) {}

  /** {@code HTTPFaultInjection}. */
  public record HttpFaultInjection(@Nullable Delay delay, @Nullable Abort abort) {}

  /** {@code HTTPFaultInjection.Delay}. */
  public record Delay(@Nullable String fixedDelay, @Nullable String exponentialDelay,
      @Nullable Integer percent, @Nullable Percent percentage) {}

  /** {@code HTTPFaultInjection.Abort}. */
  public record Abort(@Nullable Integer httpStatus, @Nullable String grpcStatus,
      @Nullable String http2Error, @Nullable Percent percentage) {}

  /** {@code HTTPMirrorPolicy}. */
  public record HttpMirrorPolicy(@Nullable Destination destination, @Nullable Percent percentage) {}

  /** {@code CorsPolicy}. */
  public record CorsPolicy(
      List<StringMatch> allowOrigins,
      List<String> allowOrigin,
      List<String> allowMethods,
      List<String> allowHeaders,
      List<String> exposeHeaders,
      @Nullable String maxAge,
      @Nullable Boolean allowCredentials,
      @Nullable String unmatchedPreflights) {
    public CorsPolicy {
      allowOrigins = Immutables.list(allowOrigins);
      allowOrigin = Immutables.list(allowOrigin);
      allowMethods = Immutables.list(allowMethods);
      allowHeaders = Immutables.list(allowHeaders);
      exposeHeaders = Immutables.list(exposeHeaders);
    }
  }

  /** {@code TLSRoute}. */
  public record TlsRoute(List<TlsMatchAttributes> match, List<RouteDestination> route) {
    public TlsRoute {
      match = Immutables.list(match);
      route = Immutables.list(route);
    }
  }

  /** {@code TLSMatchAttributes}. */
  public record TlsMatchAttributes(
      List<String> sniHosts,
      List<String> destinationSubnets,
      @Nullable Integer port,
      Map<String, String> sourceLabels,
      List<String> gateways,
      @Nullable String sourceNamespace) {
    public TlsMatchAttributes {
      sniHosts = Immutables.list(sniHosts);
      destinationSubnets = Immutables.list(destinationSubnets);
      sourceLabels = Immutables.map(sourceLabels);
      gateways = Immutables.list(gateways);
    }

    public int portOrZero() {
      return port == null ? 0 : port;
    }
  }

  /** {@code TCPRoute}. */
  public record TcpRoute(List<L4MatchAttributes> match, List<RouteDestination> route) {
    public TcpRoute {
      match = Immutables.list(match);
      route = Immutables.list(route);
    }
  }

  /** {@code L4MatchAttributes}. */
  public record L4MatchAttributes(
      List<String> destinationSubnets,
      @Nullable Integer port,
      Map<String, String> sourceLabels,
      List<String> gateways,
      @Nullable String sourceNamespace,
      @Nullable String sourceSubnet) {
    public L4MatchAttributes {
      destinationSubnets = Immutables.list(destinationSubnets);
      sourceLabels = Immutables.map(sourceLabels);
      gateways = Immutables.list(gateways);
    }

    public int portOrZero() {
      return port == null ? 0 : port;
    }
  }
}
