package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The conditions of one route: a path match plus header and query-parameter matchers, all of
 * which must hold.
 */
public record RouteMatch(
    PathMatch path, List<HeaderMatcher> headers, List<QueryParamMatcher> queryParams) {

  public RouteMatch {
    requireNonNull(path, "path");
    headers = List.copyOf(headers);
    queryParams = List.copyOf(queryParams);
  }

  /** Matches any path starting with {@code prefix}. */
  public static RouteMatch prefix(String prefix) {
    return new RouteMatch(new PathMatch.Prefix(prefix, true), List.of(), List.of());
  }

  /**
   * Whether the request matches.
   *
   * @param pathOnly the path without its query string
   * @param query the query string (without {@code ?}), empty when none
   */
  public boolean matches(RequestView request, String pathOnly, String query) {
    if (!path.matches(pathOnly)) {
      return false;
    }
    for (int i = 0; i < headers.size(); i++) {
      if (!headers.get(i).matches(request)) {
        return false;
      }
    }
    for (int i = 0; i < queryParams.size(); i++) {
      if (!queryParams.get(i).matches(query)) {
        return false;
      }
    }
    return true;
  }
}
