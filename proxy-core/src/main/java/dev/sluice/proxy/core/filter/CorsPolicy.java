package dev.sluice.proxy.core.filter;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.core.route.StringMatcher;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Envoy's {@code extensions.filters.http.cors.v3.CorsPolicy} (also the legacy route and virtual
 * host {@code cors} field). Empty strings and {@code null}s mean "not set here", so that a route's
 * policy falls back field by field to its virtual host's, as Envoy's CORS filter does.
 */
public record CorsPolicy(
    List<StringMatcher> allowOrigins,
    String allowMethods,
    String allowHeaders,
    String exposeHeaders,
    String maxAge,
    @Nullable Boolean allowCredentials,
    @Nullable Boolean allowPrivateNetworkAccess,
    @Nullable Boolean forwardNotMatchingPreflights,
    Fraction filterEnabled,
    @Nullable Fraction shadowEnabled) {

  public CorsPolicy {
    allowOrigins = List.copyOf(allowOrigins);
    requireNonNull(allowMethods, "allowMethods");
    requireNonNull(allowHeaders, "allowHeaders");
    requireNonNull(exposeHeaders, "exposeHeaders");
    requireNonNull(maxAge, "maxAge");
    requireNonNull(filterEnabled, "filterEnabled");
  }

  /** The effective settings of a route's and its virtual host's policies (either may be null). */
  public record Resolved(
      List<StringMatcher> allowOrigins,
      String allowMethods,
      String allowHeaders,
      String exposeHeaders,
      String maxAge,
      boolean allowCredentials,
      boolean allowPrivateNetworkAccess,
      boolean forwardNotMatchingPreflights,
      Fraction filterEnabled,
      @Nullable Fraction shadowEnabled) {

    /**
     * Envoy's {@code isOriginAllowed}: a matcher that accepts {@code "*"} allows any origin;
     * otherwise one must accept the origin itself.
     */
    public boolean isOriginAllowed(String origin) {
      for (int i = 0; i < allowOrigins.size(); i++) {
        StringMatcher m = allowOrigins.get(i);
        if (m.matches("*") || m.matches(origin)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Merges the route's policy over the virtual host's: each field from the first policy that sets
   * it; enablement from the most specific policy. Returns {@code null} when neither exists.
   */
  public static @Nullable Resolved resolve(@Nullable CorsPolicy route, @Nullable CorsPolicy vhost) {
    if (route == null && vhost == null) {
      return null;
    }
    CorsPolicy first = route != null ? route : vhost;
    CorsPolicy second = route != null ? vhost : null;
    return new Resolved(
        !first.allowOrigins.isEmpty() || second == null ? first.allowOrigins : second.allowOrigins,
        pick(first.allowMethods, second == null ? "" : second.allowMethods),
        pick(first.allowHeaders, second == null ? "" : second.allowHeaders),
        pick(first.exposeHeaders, second == null ? "" : second.exposeHeaders),
        pick(first.maxAge, second == null ? "" : second.maxAge),
        flag(first.allowCredentials, second == null ? null : second.allowCredentials, false),
        flag(first.allowPrivateNetworkAccess, second == null ? null : second.allowPrivateNetworkAccess, false),
        flag(first.forwardNotMatchingPreflights, second == null ? null : second.forwardNotMatchingPreflights, true),
        first.filterEnabled,
        first.shadowEnabled);
  }

  private static String pick(String a, String b) {
    return a.isEmpty() ? b : a;
  }

  private static boolean flag(@Nullable Boolean a, @Nullable Boolean b, boolean dflt) {
    return a != null ? a : b != null ? b : dflt;
  }
}
