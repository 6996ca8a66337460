package dev.sluice.proxy.core.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A path trie over the literal prefixes of a virtual host's routes (STYLE §7), so that selection
 * in a host with many routes only evaluates the routes whose literal prefix the path starts with,
 * still in declaration order (first match wins). Routes without a case-sensitive literal prefix
 * (regex, case-insensitive) are always candidates.
 */
final class RouteIndex {
  private static final class Node {
    final Map<Character, Node> children = new HashMap<>();
    int[] routes = new int[0];
  }

  private final Node root = new Node();
  private final int[] always;
  private final List<Route> routes;

  RouteIndex(List<Route> routes) {
    this.routes = routes;
    List<Integer> alwaysList = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      String lit = literal(routes.get(i).match().path());
      if (lit.isEmpty()) {
        alwaysList.add(i);
        continue;
      }
      Node n = root;
      for (int c = 0; c < lit.length(); c++) {
        n = n.children.computeIfAbsent(lit.charAt(c), k -> new Node());
      }
      n.routes = Arrays.copyOf(n.routes, n.routes.length + 1);
      n.routes[n.routes.length - 1] = i;
    }
    always = alwaysList.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String literal(PathMatch p) {
    return switch (p) {
      case PathMatch.Prefix x -> x.caseSensitive() ? x.prefix() : "";
      case PathMatch.Exact x -> x.caseSensitive() ? x.path() : "";
      case PathMatch.SeparatedPrefix x -> x.caseSensitive() ? x.prefix() : "";
      case PathMatch.Regex x -> "";
    };
  }

  @Nullable Route select(RequestView request, String pathOnly, String query) {
    int best = Integer.MAX_VALUE;
    // Routes always evaluated: the first that matches bounds the search.
    for (int i : always) {
      if (routes.get(i).match().matches(request, pathOnly, query)) {
        best = i;
        break;
      }
    }
    Node n = root;
    for (int c = 0; c < pathOnly.length() && n != null; c++) {
      n = n.children.get(pathOnly.charAt(c));
      if (n != null) {
        for (int i : n.routes) {
          if (i < best && routes.get(i).match().matches(request, pathOnly, query)) {
            best = i;
          }
        }
      }
    }
    return best == Integer.MAX_VALUE ? null : routes.get(best);
  }
}
