package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

/** One route: conditions, an action and the header changes at route level. */
public record Route(
    String name,
    RouteMatch match,
    RouteAction action,
    HeaderMutation requestHeaders,
    HeaderMutation responseHeaders) {

  public Route {
    requireNonNull(name, "name");
    requireNonNull(match, "match");
    requireNonNull(action, "action");
    requireNonNull(requestHeaders, "requestHeaders");
    requireNonNull(responseHeaders, "responseHeaders");
  }

  /** A route without header changes. */
  public static Route of(String name, RouteMatch match, RouteAction action) {
    return new Route(name, match, action, HeaderMutation.NONE, HeaderMutation.NONE);
  }
}
