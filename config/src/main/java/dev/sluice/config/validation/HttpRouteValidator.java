package dev.sluice.config.validation;

import dev.sluice.config.GoStrings;
import static dev.sluice.config.GoStrings.quote;

import dev.sluice.config.istio.StringMatch;
import dev.sluice.config.istio.VirtualService.CorsPolicy;
import dev.sluice.config.istio.VirtualService.Headers;
import dev.sluice.config.istio.VirtualService.HeaderOperations;
import dev.sluice.config.istio.VirtualService.HttpDirectResponse;
import dev.sluice.config.istio.VirtualService.HttpFaultInjection;
import dev.sluice.config.istio.VirtualService.HttpMatchRequest;
import dev.sluice.config.istio.VirtualService.HttpMirrorPolicy;
import dev.sluice.config.istio.VirtualService.HttpRedirect;
import dev.sluice.config.istio.VirtualService.HttpRetry;
import dev.sluice.config.istio.VirtualService.HttpRewrite;
import dev.sluice.config.istio.VirtualService.HttpRoute;
import dev.sluice.config.istio.VirtualService.HttpRouteDestination;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Istio's {@code validateHTTPRoute}: one entry of a VirtualService's {@code http} list. */
final class HttpRouteValidator {
  private HttpRouteValidator() {}

  private static final Set<String> CORS_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*");
  private static final Set<String> GRPC_STATUS = Set.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED");
  private static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "reset", "reset-before-request",
      "connect-failure", "retriable-4xx", "refused-stream", "retriable-status-codes", "retriable-headers",
      "envoy-ratelimited", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal",
      "resource-exhausted", "unavailable");
  /** Status codes that have a standard reason phrase (Go's {@code http.StatusText}). */
  private static final Set<Integer> HTTP_STATUS = Set.of(100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207,
      208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412,
      413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505,
      506, 507, 508, 510, 511);

  static void validate(HttpRoute http, boolean delegateVs, String path, Issues out) {
    conflicts(http, delegateVs, path, out);
    matches(http, path, out);
    headerOperations(http.headers(), path + ".headers", out);
    cors(http.corsPolicy(), path + ".corsPolicy", out);
    fault(http.fault(), path + ".fault", out);

    Integer mirrorPercent = http.mirrorPercent() != null ? http.mirrorPercent() : http.mirrorPercentLegacy();
    if (mirrorPercent != null) {
      if (mirrorPercent > 100) {
        out.error(path + ".mirrorPercent", "mirror_percent must have a max value of 100 (it has " + mirrorPercent + ")");
      }
      out.warn(path + ".mirrorPercent", "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead");
    }
    if (http.mirrorPercentage() != null) {
      double v = http.mirrorPercentage().orZero();
      if (v > 100) {
        out.error(path + ".mirrorPercentage", "mirror_percentage must have a max value of 100 (it has " + f(v) + ")");
      }
      if (v < 0) {
        out.error(path + ".mirrorPercentage", "mirror_percentage must have a min value of 0 (it has " + f(v) + ")");
      }
    }
    VirtualServiceValidator.destination(http.mirror(), path + ".mirror", out);
    mirrors(http.mirrors(), path + ".mirrors", out);
    out.error(path + ".redirect", redirect(http.redirect(), http.match()));
    directResponse(http.directResponse(), path + ".directResponse", out);
    retries(http.retries(), path + ".retries", out);
    rewrite(http.rewrite(), path + ".rewrite", out);
    out.error(path + ".headers", authorityRewrite(http.rewrite(), http.headers()));
    routeDestinations(http.route(), path + ".route", out);
    if (http.timeout() != null) {
      out.error(path + ".timeout", Primitives.duration(http.timeout()));
    }
  }

  private static void conflicts(HttpRoute http, boolean delegateVs, String path, Issues out) {
    String name = Primitives.orEmpty(http.name());
    if (!delegateVs && http.delegate() != null) {
      if (http.redirect() != null) {
        out.error(path, "root HTTP route " + name + " must not specify redirect");
      }
      if (!http.route().isEmpty()) {
        out.error(path, "root HTTP route " + name + " must not specify route");
      }
      return;
    }
    if (delegateVs && http.delegate() != null) {
      out.error(path + ".delegate", "delegate HTTP route cannot contain delegate");
    }
    if (http.redirect() != null) {
      if (!http.route().isEmpty()) {
        out.error(path, "HTTP route cannot contain both route and redirect");
      }
      if (http.fault() != null) {
        out.error(path, "HTTP route cannot contain both fault and redirect");
      }
      if (http.rewrite() != null) {
        out.error(path, "HTTP route rule cannot contain both rewrite and redirect");
      }
      if (http.directResponse() != null) {
        out.error(path, "HTTP route rule cannot contain both direct_response and redirect");
      }
    } else if (http.directResponse() != null) {
      if (!http.route().isEmpty()) {
        out.error(path, "HTTP route cannot contain both route and direct_response");
      }
      if (http.fault() != null) {
        out.error(path, "HTTP route cannot contain both fault and direct_response");
      }
      if (http.rewrite() != null) {
        out.error(path, "HTTP route rule cannot contain both rewrite and direct_response");
      }
    } else if (http.route().isEmpty()) {
      out.error(path, "HTTP route, redirect or direct_response is required");
    }
    if (http.mirror() != null && !http.mirrors().isEmpty()) {
      out.error(path, "HTTP route cannot contain both mirror and mirrors");
    }
  }

  private static void matches(HttpRoute http, String path, Issues out) {
    for (int i = 0; i < http.match().size(); i++) {
      HttpMatchRequest m = http.match().get(i);
      String mp = path + ".match[" + i + "]";
      if (m.headers() != null) {
        for (Map.Entry<String, @Nullable StringMatch> h : m.headers().entrySet()) {
          if (h.getValue() == null) {
            out.error(mp + ".headers", "header match " + h.getKey() + " cannot be null");
          }
          out.error(mp + ".headers", HeaderNames.headerNameOrJwtClaim(h.getKey()));
          out.error(mp + ".headers", Primitives.stringMatch(h.getValue(), "headers"));
        }
      }
      if (m.withoutHeaders() != null) {
        for (Map.Entry<String, @Nullable StringMatch> h : m.withoutHeaders().entrySet()) {
          out.error(mp + ".withoutHeaders", HeaderNames.headerNameOrJwtClaim(h.getKey()));
          // `regex: "*"` is a presence match, not a regex.
          if (h.getValue() != null && !(h.getValue() instanceof StringMatch.Regex r && r.value().equals("*"))) {
            out.error(mp + ".withoutHeaders", Primitives.stringMatch(h.getValue(), "withoutHeaders"));
          }
        }
      }
      out.error(mp + ".uri", Primitives.stringMatchRegex(m.uri(), "uri"));
      out.error(mp + ".scheme", Primitives.stringMatch(m.scheme(), "scheme"));
      out.error(mp + ".method", Primitives.stringMatch(m.method(), "method"));
      out.error(mp + ".authority", Primitives.stringMatch(m.authority(), "authority"));
      if (m.queryParams() != null) {
        for (StringMatch q : m.queryParams().values()) {
          out.error(mp + ".queryParams", Primitives.stringMatch(q, "queryParams"));
        }
      }
    }
    for (int i = 0; i < http.match().size(); i++) {
      HttpMatchRequest m = http.match().get(i);
      String mp = path + ".match[" + i + "]";
      if (m.portOrZero() != 0) {
        out.error(mp + ".port", Primitives.port(m.portOrZero()));
      }
      out.errors(mp + ".sourceLabels", Primitives.labels(m.sourceLabels()));
      Primitives.gatewayNames(m.gateways(), mp + ".gateways", out);
      if (m.sourceNamespace() != null && !m.sourceNamespace().isEmpty()
          && !Primitives.isDns1123Label(m.sourceNamespace())) {
        out.error(mp + ".sourceNamespace", "sourceNamespace match " + m.sourceNamespace() + " is invalid");
      }
    }
  }

  /** Request/response header operations of a route or of one destination. */
  private static void headerOperations(@Nullable Headers headers, String path, Issues out) {
    if (headers == null) {
      return;
    }
    HeaderOperations req = headers.request();
    if (req != null) {
      req.add().forEach((k, v) -> {
        out.error(path + ".request.add", HeaderNames.headerNameWithAuthority(k));
        out.error(path + ".request.add", HeaderNames.headerValue(v));
      });
      req.set().forEach((k, v) -> {
        out.error(path + ".request.set", HeaderNames.headerNameWithAuthority(k));
        out.error(path + ".request.set", HeaderNames.headerValue(v));
      });
      req.remove().forEach(k -> out.error(path + ".request.remove", HeaderNames.headerOperationName(k)));
    }
    HeaderOperations resp = headers.response();
    if (resp != null) {
      resp.add().forEach((k, v) -> {
        out.error(path + ".response.add", HeaderNames.headerOperationName(k));
        out.error(path + ".response.add", HeaderNames.headerValue(v));
      });
      resp.set().forEach((k, v) -> {
        out.error(path + ".response.set", HeaderNames.headerOperationName(k));
        out.error(path + ".response.set", HeaderNames.headerValue(v));
      });
      resp.remove().forEach(k -> out.error(path + ".response.remove", HeaderNames.headerOperationName(k)));
    }
  }

  private static void cors(@Nullable CorsPolicy cors, String path, Issues out) {
    if (cors == null) {
      return;
    }
    for (StringMatch origin : cors.allowOrigins()) {
      if (origin.value().isEmpty()) {
        out.error(path + ".allowOrigins", "'' is not a valid match type for CORS allow origins");
      } else {
        out.error(path + ".allowOrigins", Primitives.stringMatchRegex(origin, "corsPolicy.allowOrigins"));
      }
    }
    for (String method : cors.allowMethods()) {
      if (!CORS_METHODS.contains(method)) {
        out.error(path + ".allowMethods", quote(method) + " is not a supported HTTP method");
      }
    }
    cors.allowHeaders().forEach(h -> out.error(path + ".allowHeaders", HeaderNames.corsHeaderName(h)));
    cors.exposeHeaders().forEach(h -> out.error(path + ".exposeHeaders", HeaderNames.corsHeaderName(h)));
    if (cors.maxAge() != null) {
      out.error(path + ".maxAge", Primitives.duration(cors.maxAge()));
      BigDecimal nanos = Primitives.durationNanos(cors.maxAge());
      if (nanos != null && nanos.remainder(BigDecimal.valueOf(1_000_000_000L)).signum() > 0) {
        out.error(path + ".maxAge", "max_age duration is accurate only to seconds precision");
      }
    }
    out.error(path + ".unmatchedPreflights",
        Primitives.oneOf(path + ".unmatchedPreflights", cors.unmatchedPreflights(), "UNSPECIFIED", "FORWARD", "IGNORE"));
  }

  private static void fault(@Nullable HttpFaultInjection fault, String path, Issues out) {
    if (fault == null) {
      return;
    }
    if (fault.abort() == null && fault.delay() == null) {
      out.error(path, "HTTP fault injection must have an abort and/or a delay");
    }
    var abort = fault.abort();
    if (abort != null) {
      out.error(path + ".abort.percentage", abort.percentage() == null ? null
          : Primitives.percentage(abort.percentage().orZero()));
      if (abort.grpcStatus() != null) {
        if (!GRPC_STATUS.contains(abort.grpcStatus())) {
          out.error(path + ".abort.grpcStatus", "gRPC status " + quote(abort.grpcStatus())
              + " is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md"
              + " for a list of supported codes, for example 'NOT_FOUND'");
        }
      } else if (abort.http2Error() != null) {
        out.error(path + ".abort.http2Error", "HTTP/2 abort fault injection not supported yet");
      } else if (abort.httpStatus() != null) {
        out.error(path + ".abort.httpStatus", httpStatus(abort.httpStatus()));
      } else {
        out.warn(path + ".abort", "abort configured, but error type not set");
      }
    }
    var delay = fault.delay();
    if (delay != null) {
      out.error(path + ".delay.percentage", delay.percentage() == null ? null
          : Primitives.percentage(delay.percentage().orZero()));
      if (delay.fixedDelay() != null) {
        out.error(path + ".delay.fixedDelay", Primitives.duration(delay.fixedDelay()));
      } else if (delay.exponentialDelay() != null) {
        out.error(path + ".delay.exponentialDelay", Primitives.duration(delay.exponentialDelay()));
        out.error(path + ".delay.exponentialDelay", "exponentialDelay not supported yet");
      }
    }
  }

  static @Nullable String httpStatus(int status) {
    return status < 200 || status > 600 ? "HTTP status " + status + " is not in range 200-599" : null;
  }

  private static void mirrors(List<HttpMirrorPolicy> mirrors, String path, Issues out) {
    for (int i = 0; i < mirrors.size(); i++) {
      HttpMirrorPolicy m = mirrors.get(i);
      String p = path + "[" + i + "]";
      if (m.destination() == null) {
        out.error(p, "destination is required for mirrors");
        continue;
      }
      VirtualServiceValidator.destination(m.destination(), p + ".destination", out);
      if (m.percentage() != null) {
        double v = m.percentage().orZero();
        if (v > 100) {
          out.error(p + ".percentage", "mirror percentage must have a max value of 100 (it has " + f(v) + ")");
        }
        if (v < 0) {
          out.error(p + ".percentage", "mirror percentage must have a min value of 0 (it has " + f(v) + ")");
        }
      }
    }
  }

  private static @Nullable String redirect(@Nullable HttpRedirect r, List<HttpMatchRequest> matches) {
    if (r == null) {
      return null;
    }
    String uri = Primitives.orEmpty(r.uri());
    String prefixRewrite = Primitives.orEmpty(r.prefixRewrite());
    if (!uri.isEmpty() && !prefixRewrite.isEmpty()) {
      return "redirect may only specify one of uri or prefix_rewrite";
    }
    if (!prefixRewrite.isEmpty()) {
      for (HttpMatchRequest m : matches) {
        if (m.uri() != null && !(m.uri() instanceof StringMatch.Prefix)) {
          return "redirect prefix_rewrite requires all URI matches to use prefix match type";
        }
      }
    }
    String scheme = Primitives.orEmpty(r.scheme());
    if (uri.isEmpty() && prefixRewrite.isEmpty() && Primitives.orEmpty(r.authority()).isEmpty() && r.port() == null
        && r.derivePort() == null && scheme.isEmpty()) {
      return "redirect must specify URI, authority, scheme, or port";
    }
    if (r.redirectCode() != null && r.redirectCode() != 0 && (r.redirectCode() < 300 || r.redirectCode() > 399)) {
      return r.redirectCode() + " is not a valid redirect code, must be 3xx";
    }
    if (!scheme.isEmpty() && !scheme.equals("http") && !scheme.equals("https")) {
      return "invalid redirect scheme, must be \"http\" or \"https\"";
    }
    if (r.port() != null && r.port() > 0) {
      String err = Primitives.port(r.port());
      if (err != null) {
        return err;
      }
    }
    return Primitives.oneOf("derivePort", r.derivePort(), "FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT");
  }

  private static void directResponse(@Nullable HttpDirectResponse dr, String path, Issues out) {
    if (dr == null) {
      return;
    }
    if (dr.body() != null) {
      long size = 0;
      if (dr.body().string() != null) {
        size = dr.body().string().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      } else if (dr.body().bytes() != null) {
        try {
          size = Base64.getMimeDecoder().decode(dr.body().bytes()).length;
        } catch (IllegalArgumentException e) {
          size = dr.body().bytes().length() * 3L / 4;
        }
      }
      if (size > 1024 * 1024) {
        out.error(path + ".body", "large direct_responses may impact control plane performance, must be less than 1MB");
      } else if (size > 100 * 1024) {
        out.warn(path + ".body", "large direct_responses may impact control plane performance");
      }
    }
    out.error(path + ".status", httpStatus(dr.status() == null ? 0 : dr.status()));
  }

  private static void retries(@Nullable HttpRetry r, String path, Issues out) {
    if (r == null) {
      return;
    }
    int attempts = r.attempts() == null ? 0 : r.attempts();
    if (attempts < 0) {
      out.error(path + ".attempts", "attempts cannot be negative");
    }
    String retryOn = Primitives.orEmpty(r.retryOn());
    if (attempts == 0 && (r.perTryTimeout() != null || !retryOn.isEmpty() || r.retryRemoteLocalities() != null)) {
      out.error(path, "http retry policy configured when attempts are set to 0 (disabled)");
    }
    if (r.perTryTimeout() != null) {
      out.error(path + ".perTryTimeout", Primitives.duration(r.perTryTimeout()));
    }
    if (!retryOn.isEmpty()) {
      for (String policy : retryOn.split(",", -1)) {
        if (!RETRY_ON.contains(policy) && !isStatusCode(policy)) {
          out.error(path + ".retryOn", quote(policy) + " is not a valid retryOn policy");
        }
      }
    }
    if (r.backoff() != null) {
      out.error(path + ".backoff", Primitives.duration(r.backoff()));
    }
  }

  private static boolean isStatusCode(String s) {
    if (!s.matches("[+-]?[0-9]{1,9}")) {
      return false;
    }
    return HTTP_STATUS.contains(Integer.parseInt(s));
  }

  private static void rewrite(@Nullable HttpRewrite rw, String path, Issues out) {
    if (rw == null) {
      return;
    }
    String uri = Primitives.orEmpty(rw.uri());
    if (!uri.isEmpty() && rw.uriRegexRewrite() != null) {
      out.error(path, "rewrite may only contain one of URI or UriRegexRewrite");
      return;
    }
    if (uri.isEmpty() && rw.uriRegexRewrite() == null && Primitives.orEmpty(rw.authority()).isEmpty()) {
      out.error(path, "rewrite must specify at least one of URI, UriRegexRewrite, or authority."
          + " Only one of URI or UriRegexRewrite may be specified");
      return;
    }
    var rr = rw.uriRegexRewrite();
    if (rr != null) {
      String err;
      if (Primitives.orEmpty(rr.match()).isEmpty() || Primitives.orEmpty(rr.rewrite()).isEmpty()) {
        err = "UriRegexRewrite requires both Rewrite and Match fields to be specified";
      } else {
        err = Primitives.regex(rr.match(), "HTTPRewrite.UriRegexRewrite.Match");
      }
      if (err != null) {
        out.error(path + ".uriRegexRewrite", "UriRegexRewrite has errors: " + err);
      }
    }
  }

  /** The authority may be rewritten in one place only: {@code rewrite.authority} or a request header. */
  private static @Nullable String authorityRewrite(@Nullable HttpRewrite rw, @Nullable Headers headers) {
    String current = rw == null ? "" : Primitives.orEmpty(rw.authority());
    HeaderOperations req = headers == null ? null : headers.request();
    if (req == null) {
      return null;
    }
    for (Map<String, String> ops : List.of(req.set(), req.add())) {
      for (Map.Entry<String, String> e : ops.entrySet()) {
        if (!HeaderNames.isAuthorityHeader(e.getKey())) {
          continue;
        }
        if (!current.isEmpty()) {
          return "authority header cannot be set multiple times: have " + quote(current) + ", attempting to set "
              + quote(e.getValue());
        }
        current = e.getValue();
      }
    }
    return null;
  }

  private static void routeDestinations(List<HttpRouteDestination> routes, String path, Issues out) {
    int total = 0;
    for (int i = 0; i < routes.size(); i++) {
      HttpRouteDestination r = routes.get(i);
      String p = path + "[" + i + "]";
      if (r.destination() == null) {
        out.error(p, "destination is required");
      }
      headerOperations(r.headers(), p + ".headers", out);
      VirtualServiceValidator.destination(r.destination(), p + ".destination", out);
      out.error(p + ".weight", VirtualServiceValidator.weight(r.weightOrZero()));
      total += r.weightOrZero();
    }
    if (routes.size() > 1 && total == 0) {
      out.error(path, "total destination weight = 0");
    }
  }

  /** Go's {@code %f}. */
  private static String f(double v) {
    return String.format(Locale.ROOT, "%f", v);
  }
}
