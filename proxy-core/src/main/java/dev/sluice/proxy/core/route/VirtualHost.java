package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.core.filter.FilterOverrides;

import java.util.List;

/**
 * A virtual host: the domains it serves, its routes in order, its header changes and per-filter
 * settings.
 *
 * @param includeRequestAttemptCount send {@code x-envoy-attempt-count} upstream (Istio sets it)
 * @param includeAttemptCountInResponse return {@code x-envoy-attempt-count} downstream
 */
public record VirtualHost(
    String name,
    List<String> domains,
    List<Route> routes,
    HeaderMutation requestHeaders,
    HeaderMutation responseHeaders,
    FilterOverrides filters,
    boolean includeRequestAttemptCount,
    boolean includeAttemptCountInResponse) {

  public VirtualHost {
    requireNonNull(filters, "filters");
    requireNonNull(name, "name");
    domains = List.copyOf(domains);
    routes = List.copyOf(routes);
    requireNonNull(requestHeaders, "requestHeaders");
    requireNonNull(responseHeaders, "responseHeaders");
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("virtual_hosts[" + name + "].domains: [] (expected: at least one)");
    }
  }

  /** A virtual host without per-filter settings or attempt-count headers. */
  public VirtualHost(String name, List<String> domains, List<Route> routes,
      HeaderMutation requestHeaders, HeaderMutation responseHeaders) {
    this(name, domains, routes, requestHeaders, responseHeaders, FilterOverrides.NONE, false, false);
  }

  /** A virtual host without header changes. */
  public static VirtualHost of(String name, List<String> domains, List<Route> routes) {
    return new VirtualHost(name, domains, routes, HeaderMutation.NONE, HeaderMutation.NONE);
  }

  /**
   * The first route matching {@code request}, or {@code null}.
   *
   * @param pathOnly the path without query; {@code query} the query without {@code ?}
   */
  public @org.jspecify.annotations.Nullable Route select(
      RequestView request, String pathOnly, String query) {
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      if (r.match().matches(request, pathOnly, query)) {
        return r;
      }
    }
    return null;
  }
}
