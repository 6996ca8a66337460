package dev.sluice.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import dev.sluice.config.istio.Common.Percent;
import dev.sluice.config.istio.StringMatch;
import dev.sluice.config.istio.VirtualService.CorsPolicy;
import dev.sluice.config.istio.VirtualService.HeaderOperations;
import dev.sluice.config.istio.VirtualService.HttpFaultInjection;
import dev.sluice.config.istio.VirtualService.HttpMatchRequest;
import dev.sluice.config.istio.VirtualService.HttpRedirect;
import dev.sluice.config.istio.VirtualService.HttpRetry;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The pieces of an Envoy route built from a VirtualService HTTP rule (route.go in istiod). */
final class RouteParts {
  private RouteParts() {}

  static final String FAULT = "envoy.filters.http.fault";
  static final String CORS = "envoy.filters.http.cors";
  static final String DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

  /** An HTTPMatchRequest as a RouteMatch; {@code null} is the catch-all {@code prefix: /}. */
  static RouteMatch match(@Nullable HttpMatchRequest m) {
    RouteMatch.Builder b = RouteMatch.newBuilder();
    if (m == null) {
      return b.setPrefix("/").build();
    }
    switch (m.uri()) {
      case StringMatch.Exact e -> b.setPath(e.value());
      case StringMatch.Prefix p -> b.setPrefix(p.value());
      case StringMatch.Regex r -> b.setSafeRegex(RegexMatcher.newBuilder().setRegex(r.value()));
      case null, default -> b.setPrefix("/");
    }
    if (Boolean.TRUE.equals(m.ignoreUriCase()) && !(m.uri() instanceof StringMatch.Regex)) {
      b.setCaseSensitive(BoolValue.of(false));
    }
    for (var e : sorted(m.headers()).entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (!List.of("uri", "scheme", "method", "authority").contains(name)) {
        b.addHeaders(header(name, e.getValue(), false));
      }
    }
    for (var e : sorted(m.withoutHeaders()).entrySet()) {
      b.addHeaders(header(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), true));
    }
    if (m.authority() != null) {
      b.addHeaders(header(":authority", m.authority(), false));
    }
    if (m.method() != null) {
      b.addHeaders(header(":method", m.method(), false));
    }
    if (m.scheme() != null) {
      b.addHeaders(header(":scheme", m.scheme(), false));
    }
    for (var e : sorted(m.queryParams()).entrySet()) {
      QueryParameterMatcher.Builder q = QueryParameterMatcher.newBuilder().setName(e.getKey());
      StringMatch sm = e.getValue();
      if (sm == null || sm instanceof StringMatch.Any || sm instanceof StringMatch.Regex r && r.value().equals("*")) {
        q.setPresentMatch(true);
      } else {
        q.setStringMatch(stringMatcher(sm));
      }
      b.addQueryParameters(q);
    }
    return b.build();
  }

  private static Map<String, @Nullable StringMatch> sorted(@Nullable Map<String, @Nullable StringMatch> m) {
    return m == null ? Map.of() : new TreeMap<>(m);
  }

  private static HeaderMatcher header(String name, @Nullable StringMatch sm, boolean invert) {
    HeaderMatcher.Builder h = HeaderMatcher.newBuilder().setName(name).setInvertMatch(invert);
    if (sm == null || sm instanceof StringMatch.Any || sm instanceof StringMatch.Regex r && r.value().equals("*")) {
      return h.setPresentMatch(true).build();
    }
    if (invert) {
      h.setTreatMissingHeaderAsEmpty(true);
    }
    return h.setStringMatch(stringMatcher(sm)).build();
  }

  static StringMatcher stringMatcher(StringMatch sm) {
    return switch (sm) {
      case StringMatch.Exact e -> StringMatcher.newBuilder().setExact(e.value()).build();
      case StringMatch.Prefix p -> StringMatcher.newBuilder().setPrefix(p.value()).build();
      case StringMatch.Regex r -> StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(r.value())).build();
      case StringMatch.Any a -> StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(".*")).build();
    };
  }

  /** Istio's retry policy: the default one when {@code retries} is absent, none for {@code attempts: 0}. */
  static @Nullable RetryPolicy retry(@Nullable HttpRetry r, boolean consistentHash) {
    RetryPolicy.Builder b = RetryPolicy.newBuilder();
    if (!consistentHash) {
      b.addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
          .setName("envoy.retry_host_predicates.previous_hosts")
          .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance())));
      b.setHostSelectionRetryMaxAttempts(5);
    }
    if (r == null) {
      return b.setRetryOn(DEFAULT_RETRY_ON).setNumRetries(UInt32Value.of(2)).build();
    }
    if (r.attempts() != null && r.attempts() == 0) {
      return null;
    }
    b.setNumRetries(UInt32Value.of(r.attempts() == null ? 2 : r.attempts()));
    String retryOn = r.retryOn() == null || r.retryOn().isEmpty() ? DEFAULT_RETRY_ON : r.retryOn();
    List<String> policies = new ArrayList<>();
    for (String part : retryOn.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      if (p.chars().allMatch(Character::isDigit)) {
        b.addRetriableStatusCodes(Integer.parseInt(p));
        if (!policies.contains("retriable-status-codes")) {
          policies.add("retriable-status-codes");
        }
      } else if (!policies.contains(p)) {
        policies.add(p);
      }
    }
    b.setRetryOn(String.join(",", policies));
    var perTry = Durations.parse(r.perTryTimeout());
    if (perTry != null) {
      b.setPerTryTimeout(perTry);
    }
    if (Boolean.FALSE.equals(r.retryIgnorePreviousHosts())) {
      b.clearRetryHostPredicate();
    }
    var backoff = Durations.parse(r.backoff());
    if (backoff != null) {
      b.setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder().setBaseInterval(backoff));
    }
    return b.build();
  }

  /** A percentage as Envoy's fraction: {@code percentage} in millionths, or the legacy integer percent. */
  static FractionalPercent fraction(@Nullable Percent percentage, @Nullable Integer legacyPercent, double dflt) {
    if (percentage != null) {
      return FractionalPercent.newBuilder().setNumerator((int) Math.round(percentage.orZero() * 10_000))
          .setDenominator(FractionalPercent.DenominatorType.MILLION).build();
    }
    if (legacyPercent != null) {
      return FractionalPercent.newBuilder().setNumerator(legacyPercent)
          .setDenominator(FractionalPercent.DenominatorType.HUNDRED).build();
    }
    return FractionalPercent.newBuilder().setNumerator((int) Math.round(dflt * 10_000))
        .setDenominator(FractionalPercent.DenominatorType.MILLION).build();
  }

  /** The per-route fault filter config, or {@code null}. */
  static @Nullable HTTPFault fault(@Nullable HttpFaultInjection f) {
    if (f == null || f.delay() == null && f.abort() == null) {
      return null;
    }
    HTTPFault.Builder b = HTTPFault.newBuilder();
    if (f.delay() != null) {
      var d = Durations.parse(f.delay().fixedDelay());
      if (d != null) {
        b.setDelay(FaultDelay.newBuilder().setFixedDelay(d)
            .setPercentage(fraction(f.delay().percentage(), f.delay().percent(), 0)));
      }
    }
    if (f.abort() != null) {
      FaultAbort.Builder a = FaultAbort.newBuilder()
          .setPercentage(fraction(f.abort().percentage(), null, 0));
      if (f.abort().httpStatus() != null) {
        a.setHttpStatus(f.abort().httpStatus());
      } else if (f.abort().grpcStatus() != null) {
        a.setGrpcStatus(grpcCode(f.abort().grpcStatus()));
      }
      b.setAbort(a);
    }
    return b.build();
  }

  private static int grpcCode(String s) {
    if (s.chars().allMatch(Character::isDigit)) {
      return Integer.parseInt(s);
    }
    return switch (s) {
      case "CANCELLED" -> 1;
      case "UNKNOWN" -> 2;
      case "INVALID_ARGUMENT" -> 3;
      case "DEADLINE_EXCEEDED" -> 4;
      case "NOT_FOUND" -> 5;
      case "ALREADY_EXISTS" -> 6;
      case "PERMISSION_DENIED" -> 7;
      case "RESOURCE_EXHAUSTED" -> 8;
      case "FAILED_PRECONDITION" -> 9;
      case "ABORTED" -> 10;
      case "OUT_OF_RANGE" -> 11;
      case "UNIMPLEMENTED" -> 12;
      case "INTERNAL" -> 13;
      case "UNAVAILABLE" -> 14;
      case "DATA_LOSS" -> 15;
      case "UNAUTHENTICATED" -> 16;
      default -> 0;
    };
  }

  /** The per-route CORS policy. */
  static io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy cors(CorsPolicy c) {
    var b = io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.newBuilder();
    for (StringMatch o : c.allowOrigins()) {
      b.addAllowOriginStringMatch(stringMatcher(o));
    }
    for (String o : c.allowOrigin()) {
      b.addAllowOriginStringMatch(StringMatcher.newBuilder().setExact(o));
    }
    if (!c.allowMethods().isEmpty()) {
      b.setAllowMethods(String.join(",", c.allowMethods()));
    }
    if (!c.allowHeaders().isEmpty()) {
      b.setAllowHeaders(String.join(",", c.allowHeaders()));
    }
    if (!c.exposeHeaders().isEmpty()) {
      b.setExposeHeaders(String.join(",", c.exposeHeaders()));
    }
    var maxAge = Durations.parse(c.maxAge());
    if (maxAge != null) {
      b.setMaxAge(Long.toString(maxAge.getSeconds()));
    }
    if (c.allowCredentials() != null) {
      b.setAllowCredentials(BoolValue.of(c.allowCredentials()));
    }
    if ("IGNORE".equals(c.unmatchedPreflights())) {
      b.setForwardNotMatchingPreflights(BoolValue.of(false));
    }
    return b.build();
  }

  /** An HTTPRedirect as Envoy's RedirectAction. */
  static RedirectAction redirect(HttpRedirect r) {
    RedirectAction.Builder b = RedirectAction.newBuilder();
    if (r.uri() != null && !r.uri().isEmpty()) {
      b.setPathRedirect(r.uri());
    } else if (r.prefixRewrite() != null) {
      b.setPrefixRewrite(r.prefixRewrite());
    }
    if (r.authority() != null && !r.authority().isEmpty()) {
      b.setHostRedirect(r.authority());
    }
    if (r.port() != null && r.port() > 0) {
      b.setPortRedirect(r.port());
    }
    if (r.scheme() != null && !r.scheme().isEmpty()) {
      b.setSchemeRedirect(r.scheme());
    }
    int code = r.redirectCode() == null || r.redirectCode() == 0 ? 301 : r.redirectCode();
    b.setResponseCode(switch (code) {
      case 302 -> RedirectAction.RedirectResponseCode.FOUND;
      case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
      case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
      case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
      default -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
    });
    return b.build();
  }

  /** Header additions: {@code set} overwrites, {@code add} appends. Authority is left to the caller. */
  static List<HeaderValueOption> headersToAdd(@Nullable HeaderOperations ops) {
    List<HeaderValueOption> out = new ArrayList<>();
    if (ops == null) {
      return out;
    }
    new TreeMap<>(ops.set()).forEach((k, v) -> {
      if (!isAuthority(k)) {
        out.add(option(k, v, HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD));
      }
    });
    new TreeMap<>(ops.add()).forEach((k, v) ->
        out.add(option(k, v, HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD)));
    return out;
  }

  static List<String> headersToRemove(@Nullable HeaderOperations ops) {
    return ops == null ? List.of() : ops.remove();
  }

  /** The authority a {@code set} operation asks for ({@code :authority} or {@code host}), or null. */
  static @Nullable String authority(@Nullable HeaderOperations ops) {
    if (ops == null) {
      return null;
    }
    for (var e : ops.set().entrySet()) {
      if (isAuthority(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  private static boolean isAuthority(String k) {
    return k.equalsIgnoreCase(":authority") || k.equalsIgnoreCase("host");
  }

  private static HeaderValueOption option(String k, String v, HeaderValueOption.HeaderAppendAction a) {
    return HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey(k).setValue(v))
        .setAppendAction(a).build();
  }

}
