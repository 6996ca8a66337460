package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import dev.sluice.proxy.core.filter.FilterOverrides;

/** One route: conditions, an action, the header changes and the per-filter settings at route level. */
public record Route(
    String name,
    RouteMatch match,
    RouteAction action,
    HeaderMutation requestHeaders,
    HeaderMutation responseHeaders,
    FilterOverrides filters) {

  public Route {
    requireNonNull(filters, "filters");
    requireNonNull(name, "name");
    requireNonNull(match, "match");
    requireNonNull(action, "action");
    requireNonNull(requestHeaders, "requestHeaders");
    requireNonNull(responseHeaders, "responseHeaders");
  }

  /** A route without per-filter settings. */
  public Route(String name, RouteMatch match, RouteAction action, HeaderMutation requestHeaders,
      HeaderMutation responseHeaders) {
    this(name, match, action, requestHeaders, responseHeaders, FilterOverrides.NONE);
  }

  /** A route without header changes. */
  public static Route of(String name, RouteMatch match, RouteAction action) {
    return new Route(name, match, action, HeaderMutation.NONE, HeaderMutation.NONE);
  }
}
