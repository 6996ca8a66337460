package dev.sluice.proxy.core.xds;

import static dev.sluice.proxy.core.xds.Fields.at;
import static dev.sluice.proxy.core.xds.Fields.invalid;

import com.google.re2j.Pattern;
import dev.sluice.proxy.core.filter.FilterOverrides;
import dev.sluice.proxy.core.filter.Fraction;
import dev.sluice.proxy.core.route.ClusterSpecifier;
import dev.sluice.proxy.core.route.HashPolicy;
import dev.sluice.proxy.core.route.HeaderMatcher;
import dev.sluice.proxy.core.route.HeaderMutation;
import dev.sluice.proxy.core.route.HeaderValueOption;
import dev.sluice.proxy.core.route.MirrorPolicy;
import dev.sluice.proxy.core.route.PathMatch;
import dev.sluice.proxy.core.route.QueryParamMatcher;
import dev.sluice.proxy.core.route.RetryPolicy;
import dev.sluice.proxy.core.route.Route;
import dev.sluice.proxy.core.route.RouteAction;
import dev.sluice.proxy.core.route.RouteMatch;
import dev.sluice.proxy.core.route.RouteTable;
import dev.sluice.proxy.core.route.StringMatcher;
import dev.sluice.proxy.core.route.VirtualHost;
import dev.sluice.proxy.core.route.WeightedCluster;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Turns an Envoy {@code RouteConfiguration} into a {@link RouteTable}. */
public final class RouteConfigurationParser {
  private RouteConfigurationParser() {}

  private static final Protos.MapField<io.envoyproxy.envoy.config.route.v3.VirtualHost, com.google.protobuf.Any>
      VHOST_FILTER_CONFIG = new Protos.MapField<>(io.envoyproxy.envoy.config.route.v3.VirtualHost.class,
          "typedPerFilterConfig_", io.envoyproxy.envoy.config.route.v3.VirtualHost::getTypedPerFilterConfigMap);
  private static final Protos.MapField<io.envoyproxy.envoy.config.route.v3.Route, com.google.protobuf.Any>
      ROUTE_FILTER_CONFIG = new Protos.MapField<>(io.envoyproxy.envoy.config.route.v3.Route.class,
          "typedPerFilterConfig_", io.envoyproxy.envoy.config.route.v3.Route::getTypedPerFilterConfigMap);

  /**
   * Parses one route configuration.
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public static RouteTable parse(RouteConfiguration rc) {
    List<VirtualHost> vhosts = new ArrayList<>();
    for (int i = 0; i < rc.getVirtualHostsCount(); i++) {
      var vh = rc.getVirtualHosts(i);
      String field = "virtual_hosts[" + (vh.getName().isEmpty() ? i : vh.getName()) + "]";
      vhosts.add(at(field, () -> virtualHost(vh)));
    }
    HeaderMutation req = at("request_headers", () ->
        mutation(rc.getRequestHeadersToAddList(), rc.getRequestHeadersToRemoveList()));
    HeaderMutation resp = at("response_headers", () ->
        mutation(rc.getResponseHeadersToAddList(), rc.getResponseHeadersToRemoveList()));
    return new RouteTable(rc.getName(), vhosts, req, resp, rc.getIgnorePortInHostMatching());
  }

  static VirtualHost virtualHost(io.envoyproxy.envoy.config.route.v3.VirtualHost vh) {
    RetryPolicy vhRetry = vh.hasRetryPolicy() ? at("retry_policy", () -> retryPolicy(vh.getRetryPolicy())) : null;
    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < vh.getRoutesCount(); i++) {
      var r = vh.getRoutes(i);
      int idx = i;
      routes.add(at("routes[" + idx + "]", () -> route(r, vhRetry)));
    }
    FilterOverrides filters = FilterParser.overrides(VHOST_FILTER_CONFIG.get(vh),
        vh.hasCors() ? vh.getCors() : null);
    HeaderMutation req = at("request_headers", () ->
        mutation(vh.getRequestHeadersToAddList(), vh.getRequestHeadersToRemoveList()));
    HeaderMutation resp = at("response_headers", () ->
        mutation(vh.getResponseHeadersToAddList(), vh.getResponseHeadersToRemoveList()));
    if (vh.getDomainsCount() == 0) {
      throw invalid("domains", "[]", "at least one domain");
    }
    return new VirtualHost(vh.getName(), vh.getDomainsList(), routes, req, resp, filters,
        vh.getIncludeRequestAttemptCount(), vh.getIncludeAttemptCountInResponse());
  }

  static Route route(io.envoyproxy.envoy.config.route.v3.Route r) {
    return route(r, null);
  }

  static Route route(io.envoyproxy.envoy.config.route.v3.Route r, @Nullable RetryPolicy vhRetry) {
    RouteMatch match = at("match", () -> match(r.getMatch()));
    RouteAction action = switch (r.getActionCase()) {
      case ROUTE -> at("route", () -> {
        RouteAction.Forward f = forward(r.getRoute());
        return f.retryPolicy() == null && vhRetry != null ? f.withRetryPolicy(vhRetry) : f;
      });
      case REDIRECT -> at("redirect", () -> redirect(r.getRedirect()));
      case DIRECT_RESPONSE -> at("direct_response", () -> new RouteAction.DirectResponse(
          r.getDirectResponse().getStatus(),
          r.getDirectResponse().getBody().getInlineString().isEmpty()
              ? r.getDirectResponse().getBody().getInlineBytes().toString(StandardCharsets.UTF_8)
              : r.getDirectResponse().getBody().getInlineString()));
      default -> throw invalid("action", r.getActionCase(), "route, redirect or direct_response");
    };
    HeaderMutation req = at("request_headers", () ->
        mutation(r.getRequestHeadersToAddList(), r.getRequestHeadersToRemoveList()));
    HeaderMutation resp = at("response_headers", () ->
        mutation(r.getResponseHeadersToAddList(), r.getResponseHeadersToRemoveList()));
    FilterOverrides filters = FilterParser.overrides(ROUTE_FILTER_CONFIG.get(r),
        r.hasRoute() && r.getRoute().hasCors() ? r.getRoute().getCors() : null);
    return new Route(r.getName(), match, action, req, resp, filters);
  }

  static RouteMatch match(io.envoyproxy.envoy.config.route.v3.RouteMatch m) {
    boolean cs = !m.hasCaseSensitive() || m.getCaseSensitive().getValue();
    PathMatch path = switch (m.getPathSpecifierCase()) {
      case PREFIX -> new PathMatch.Prefix(m.getPrefix(), cs);
      case PATH -> new PathMatch.Exact(m.getPath(), cs);
      case SAFE_REGEX -> at("safe_regex", () -> new PathMatch.Regex(
          Pattern.compile(m.getSafeRegex().getRegex(), cs ? 0 : Pattern.CASE_INSENSITIVE)));
      case PATH_SEPARATED_PREFIX -> new PathMatch.SeparatedPrefix(m.getPathSeparatedPrefix(), cs);
      default -> throw invalid("path_specifier", m.getPathSpecifierCase(),
          "prefix, path, safe_regex or path_separated_prefix");
    };
    List<HeaderMatcher> headers = new ArrayList<>();
    for (int i = 0; i < m.getHeadersCount(); i++) {
      var h = m.getHeaders(i);
      headers.add(at("headers[" + i + "]", () -> headerMatcher(h)));
    }
    List<QueryParamMatcher> query = new ArrayList<>();
    for (int i = 0; i < m.getQueryParametersCount(); i++) {
      var q = m.getQueryParameters(i);
      query.add(at("query_parameters[" + i + "]", () -> new QueryParamMatcher(q.getName(),
          q.hasStringMatch() ? at("string_match", () -> stringMatcher(q.getStringMatch())) : null)));
    }
    return new RouteMatch(path, headers, query);
  }

  static HeaderMatcher headerMatcher(io.envoyproxy.envoy.config.route.v3.HeaderMatcher h) {
    String name = h.getName().toLowerCase(Locale.ROOT);
    StringMatcher value;
    boolean present = true;
    switch (h.getHeaderMatchSpecifierCase()) {
      case EXACT_MATCH -> value = new StringMatcher.Exact(h.getExactMatch(), false);
      case PREFIX_MATCH -> value = new StringMatcher.Prefix(h.getPrefixMatch(), false);
      case SUFFIX_MATCH -> value = new StringMatcher.Suffix(h.getSuffixMatch(), false);
      case CONTAINS_MATCH -> value = new StringMatcher.Contains(h.getContainsMatch(), false);
      case SAFE_REGEX_MATCH -> value = at("safe_regex_match",
          () -> StringMatcher.Regex.of(h.getSafeRegexMatch().getRegex()));
      case STRING_MATCH -> value = at("string_match", () -> stringMatcher(h.getStringMatch()));
      case PRESENT_MATCH -> {
        value = null;
        present = h.getPresentMatch();
      }
      case HEADERMATCHSPECIFIER_NOT_SET -> {
        value = null; // Envoy: no specifier means "present"
      }
      default -> throw invalid("header_match_specifier", h.getHeaderMatchSpecifierCase(),
          "exact/prefix/suffix/contains/safe_regex/string/present match");
    }
    return new HeaderMatcher(name, value, present, h.getInvertMatch(), h.getTreatMissingHeaderAsEmpty());
  }

  /** Converts an Envoy {@code type.matcher.v3.StringMatcher}. */
  public static StringMatcher stringMatcher(io.envoyproxy.envoy.type.matcher.v3.StringMatcher s) {
    boolean ic = s.getIgnoreCase();
    return switch (s.getMatchPatternCase()) {
      case EXACT -> new StringMatcher.Exact(s.getExact(), ic);
      case PREFIX -> new StringMatcher.Prefix(s.getPrefix(), ic);
      case SUFFIX -> new StringMatcher.Suffix(s.getSuffix(), ic);
      case CONTAINS -> new StringMatcher.Contains(s.getContains(), ic);
      case SAFE_REGEX -> at("safe_regex", () -> StringMatcher.Regex.of(s.getSafeRegex().getRegex()));
      default -> throw invalid("match_pattern", s.getMatchPatternCase(),
          "exact, prefix, suffix, contains or safe_regex");
    };
  }

  static RouteAction.Forward forward(io.envoyproxy.envoy.config.route.v3.RouteAction a) {
    ClusterSpecifier cluster = switch (a.getClusterSpecifierCase()) {
      case CLUSTER -> at("cluster", () -> new ClusterSpecifier.Single(a.getCluster()));
      case CLUSTER_HEADER -> new ClusterSpecifier.FromHeader(a.getClusterHeader().toLowerCase(Locale.ROOT));
      case WEIGHTED_CLUSTERS -> at("weighted_clusters", () -> weighted(a.getWeightedClusters()));
      default -> throw invalid("cluster_specifier", a.getClusterSpecifierCase(),
          "cluster, cluster_header or weighted_clusters");
    };
    String prefixRewrite = a.getPrefixRewrite().isEmpty() ? null : a.getPrefixRewrite();
    RouteAction.RegexRewrite regexRewrite = null;
    if (a.hasRegexRewrite()) {
      if (prefixRewrite != null) {
        throw invalid("regex_rewrite", "set together with prefix_rewrite", "only one of them");
      }
      regexRewrite = at("regex_rewrite.pattern", () -> new RouteAction.RegexRewrite(
          Pattern.compile(a.getRegexRewrite().getPattern().getRegex()),
          a.getRegexRewrite().getSubstitution()));
    }
    String hostRewrite = null;
    boolean autoHost = false;
    switch (a.getHostRewriteSpecifierCase()) {
      case HOST_REWRITE_LITERAL -> hostRewrite = a.getHostRewriteLiteral();
      case AUTO_HOST_REWRITE -> autoHost = a.getAutoHostRewrite().getValue();
      case HOSTREWRITESPECIFIER_NOT_SET -> { }
      default -> throw invalid("host_rewrite_specifier", a.getHostRewriteSpecifierCase(),
          "host_rewrite_literal or auto_host_rewrite");
    }
    Duration timeout = a.hasTimeout() ? Fields.duration(a.getTimeout()) : Duration.ofSeconds(15);
    List<HashPolicy> hash = new ArrayList<>();
    for (int i = 0; i < a.getHashPolicyCount(); i++) {
      var p = a.getHashPolicy(i);
      int idx = i;
      hash.add(at("hash_policy[" + idx + "]", () -> hashPolicy(p)));
    }
    RetryPolicy retry = a.hasRetryPolicy() ? at("retry_policy", () -> retryPolicy(a.getRetryPolicy())) : null;
    List<MirrorPolicy> mirrors = new ArrayList<>();
    for (int i = 0; i < a.getRequestMirrorPoliciesCount(); i++) {
      var m = a.getRequestMirrorPolicies(i);
      mirrors.add(at("request_mirror_policies[" + i + "]", () -> mirror(m)));
    }
    Duration maxStream = Duration.ZERO;
    Duration grpcMax = null;
    if (a.hasMaxStreamDuration()) {
      var msd = a.getMaxStreamDuration();
      if (msd.hasMaxStreamDuration()) {
        maxStream = Fields.duration(msd.getMaxStreamDuration());
      }
      if (msd.hasGrpcTimeoutHeaderMax()) {
        grpcMax = Fields.duration(msd.getGrpcTimeoutHeaderMax());
      }
    }
    return new RouteAction.Forward(cluster, prefixRewrite, regexRewrite, hostRewrite, autoHost,
        timeout, hash, retry, mirrors, maxStream, grpcMax);
  }

  static RetryPolicy retryPolicy(io.envoyproxy.envoy.config.route.v3.RetryPolicy p) {
    boolean previousHosts = false;
    for (int i = 0; i < p.getRetryHostPredicateCount(); i++) {
      String name = p.getRetryHostPredicate(i).getName();
      if (name.equals("envoy.retry_host_predicates.previous_hosts")) {
        previousHosts = true;
      } else if (!name.equals("envoy.retry_host_predicates.omit_canary_hosts")) {
        throw invalid("retry_host_predicate[" + i + "].name", name, "envoy.retry_host_predicates.previous_hosts");
      }
    }
    Duration base = Duration.ofMillis(25);
    Duration max = null;
    if (p.hasRetryBackOff()) {
      var b = p.getRetryBackOff();
      if (b.hasBaseInterval()) {
        base = Fields.duration(b.getBaseInterval());
      }
      if (b.hasMaxInterval()) {
        max = Fields.duration(b.getMaxInterval());
      }
    }
    Set<Integer> codes = new HashSet<>();
    for (int c : p.getRetriableStatusCodesList()) {
      codes.add(c);
    }
    long hostAttempts = p.getHostSelectionRetryMaxAttempts();
    return new RetryPolicy(RetryPolicy.parseRetryOn(p.getRetryOn()),
        p.hasNumRetries() ? p.getNumRetries().getValue() : 1,
        p.hasPerTryTimeout() ? Fields.duration(p.getPerTryTimeout()) : Duration.ZERO,
        codes, previousHosts, (int) Math.max(1, Math.min(hostAttempts, 100)),
        base, max != null ? max : base.multipliedBy(10));
  }

  static MirrorPolicy mirror(io.envoyproxy.envoy.config.route.v3.RouteAction.RequestMirrorPolicy m) {
    if (m.getCluster().isEmpty()) {
      throw invalid("cluster", "\"\"", "a cluster name (cluster_header is not supported)");
    }
    Fraction f = m.hasRuntimeFraction()
        ? at("runtime_fraction", () -> FilterParser.runtimeFraction(m.getRuntimeFraction())) : Fraction.ALL;
    return new MirrorPolicy(m.getCluster(), f, m.getDisableShadowHostSuffixAppend());
  }

  static ClusterSpecifier.Weighted weighted(io.envoyproxy.envoy.config.route.v3.WeightedCluster w) {
    List<WeightedCluster> list = new ArrayList<>();
    for (int i = 0; i < w.getClustersCount(); i++) {
      var c = w.getClusters(i);
      list.add(at("clusters[" + i + "]", () -> new WeightedCluster(
          c.getName(),
          c.hasWeight() ? c.getWeight().getValue() : 0,
          mutation(c.getRequestHeadersToAddList(), c.getRequestHeadersToRemoveList()),
          mutation(c.getResponseHeadersToAddList(), c.getResponseHeadersToRemoveList()),
          c.getHostRewriteLiteral().isEmpty() ? null : c.getHostRewriteLiteral())));
    }
    ClusterSpecifier.Weighted result = ClusterSpecifier.Weighted.of(list);
    if (w.hasTotalWeight() && w.getTotalWeight().getValue() != result.totalWeight()) {
      throw invalid("total_weight", w.getTotalWeight().getValue(),
          "the sum of the weights, " + result.totalWeight());
    }
    return result;
  }

  static HashPolicy hashPolicy(io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy p) {
    boolean t = p.getTerminal();
    return switch (p.getPolicySpecifierCase()) {
      case HEADER -> new HashPolicy.Header(p.getHeader().getHeaderName().toLowerCase(Locale.ROOT), t);
      case COOKIE -> new HashPolicy.Cookie(p.getCookie().getName(), t);
      case CONNECTION_PROPERTIES -> {
        if (!p.getConnectionProperties().getSourceIp()) {
          throw invalid("connection_properties.source_ip", false, "true");
        }
        yield new HashPolicy.SourceIp(t);
      }
      case QUERY_PARAMETER -> new HashPolicy.QueryParameter(p.getQueryParameter().getName(), t);
      default -> throw invalid("policy_specifier", p.getPolicySpecifierCase(),
          "header, cookie, connection_properties or query_parameter");
    };
  }

  static RouteAction.Redirect redirect(RedirectAction r) {
    String scheme = switch (r.getSchemeRewriteSpecifierCase()) {
      case HTTPS_REDIRECT -> r.getHttpsRedirect() ? "https" : null;
      case SCHEME_REDIRECT -> r.getSchemeRedirect().toLowerCase(Locale.ROOT);
      default -> null;
    };
    String path = null;
    String prefix = null;
    switch (r.getPathRewriteSpecifierCase()) {
      case PATH_REDIRECT -> path = r.getPathRedirect();
      case PREFIX_REWRITE -> prefix = r.getPrefixRewrite();
      case PATHREWRITESPECIFIER_NOT_SET -> { }
      default -> throw invalid("path_rewrite_specifier", r.getPathRewriteSpecifierCase(),
          "path_redirect or prefix_rewrite");
    }
    int status = switch (r.getResponseCode()) {
      case MOVED_PERMANENTLY -> 301;
      case FOUND -> 302;
      case SEE_OTHER -> 303;
      case TEMPORARY_REDIRECT -> 307;
      case PERMANENT_REDIRECT -> 308;
      default -> throw invalid("response_code", r.getResponseCode(), "a redirect response code");
    };
    return new RouteAction.Redirect(scheme, r.getHostRedirect().isEmpty() ? null : r.getHostRedirect(),
        r.getPortRedirect(), path, prefix, status, r.getStripQuery());
  }

  /** Converts header additions and removals, with Envoy's append semantics. */
  public static HeaderMutation mutation(
      List<io.envoyproxy.envoy.config.core.v3.HeaderValueOption> add, List<String> remove) {
    if (add.isEmpty() && remove.isEmpty()) {
      return HeaderMutation.NONE;
    }
    List<HeaderValueOption> adds = new ArrayList<>();
    for (int i = 0; i < add.size(); i++) {
      var o = add.get(i);
      int idx = i;
      adds.add(at("headers_to_add[" + idx + "]", () -> {
        HeaderValueOption.AppendAction action;
        if (o.hasAppend()) {
          if (o.getAppendAction() != HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD) {
            throw invalid("append", o.getAppend().getValue(), "unset when append_action is set");
          }
          action = o.getAppend().getValue()
              ? HeaderValueOption.AppendAction.APPEND_IF_EXISTS_OR_ADD
              : HeaderValueOption.AppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
        } else {
          action = switch (o.getAppendAction()) {
            case APPEND_IF_EXISTS_OR_ADD -> HeaderValueOption.AppendAction.APPEND_IF_EXISTS_OR_ADD;
            case ADD_IF_ABSENT -> HeaderValueOption.AppendAction.ADD_IF_ABSENT;
            case OVERWRITE_IF_EXISTS_OR_ADD -> HeaderValueOption.AppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
            case OVERWRITE_IF_EXISTS -> HeaderValueOption.AppendAction.OVERWRITE_IF_EXISTS;
            default -> throw invalid("append_action", o.getAppendAction(), "a HeaderAppendAction");
          };
        }
        String name = o.getHeader().getKey().toLowerCase(Locale.ROOT);
        String value = o.getHeader().getValue().isEmpty()
            ? o.getHeader().getRawValue().toString(StandardCharsets.UTF_8)
            : o.getHeader().getValue();
        for (int c = 0; c < value.length(); c++) {
          char ch = value.charAt(c);
          if (ch == '\r' || ch == '\n' || ch == 0) {
            throw invalid("header.value", "\"" + value.replace("\r", "\\r").replace("\n", "\\n")
                .replace("\0", "\\0") + "\"", "no CR, LF or NUL");
          }
        }
        return new HeaderValueOption(name, value, action, o.getKeepEmptyValue());
      }));
    }
    List<String> removes = remove.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    return new HeaderMutation(adds, removes);
  }
}
