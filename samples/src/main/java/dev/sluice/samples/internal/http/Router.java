package dev.sluice.samples.internal.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dispatches requests by method and path pattern ({@code /reviews/{id}}: a {@code {name}}
 * segment matches one non-empty path segment; a pattern ending in {@code /**} matches any rest).
 * What happens on no match is the app's own behaviour (Flask's 404 page, Node's text, …), so it
 * is given as {@link Fallback}.
 */
public final class Router implements Handler {

  /** Answers a matched route; {@code params} holds the {@code {name}} segments. */
  @FunctionalInterface
  public interface Route {
    /** Answers the request. */
    Response handle(Request request, Map<String, String> params) throws Exception;
  }

  /** Answers unmatched requests: {@code allowed} is empty when no pattern matched the path. */
  @FunctionalInterface
  public interface Fallback {
    /** Answers the request. */
    Response handle(Request request, Set<String> allowed) throws Exception;
  }

  private record Entry(Set<String> methods, String[] segments, boolean rest, Route route) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Fallback fallback;

  /** A router answering unmatched requests with {@code fallback}. */
  public Router(Fallback fallback) {
    this.fallback = fallback;
  }

  /** Adds a route for a comma-separated list of methods, e.g. {@code "GET,HEAD"}; "*" for all. */
  public Router add(String methods, String pattern, Route route) {
    boolean rest = pattern.endsWith("/**");
    String p = rest ? pattern.substring(0, pattern.length() - 3) : pattern;
    entries.add(new Entry(Set.of(methods.split(",")), split(p), rest, route));
    return this;
  }

  @Override
  public Response handle(Request request) throws Exception {
    String[] path = split(request.path());
    Set<String> allowed = new LinkedHashSet<>();
    for (Entry e : entries) {
      Map<String, String> params = match(e, path);
      if (params == null) {
        continue;
      }
      if (e.methods.contains("*") || e.methods.contains(request.method())) {
        return e.route.handle(request, params);
      }
      allowed.addAll(e.methods);
    }
    return fallback.handle(request, allowed);
  }

  private static Map<String, String> match(Entry e, String[] path) {
    if (e.rest ? path.length < e.segments.length : path.length != e.segments.length) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < e.segments.length; i++) {
      String s = e.segments[i];
      if (s.startsWith("{") && s.endsWith("}")) {
        if (path[i].isEmpty()) {
          return null;
        }
        params.put(s.substring(1, s.length() - 1), path[i]);
      } else if (!s.equals(path[i])) {
        return null;
      }
    }
    return params;
  }

  // "/" → [], "/a/b" → [a, b], "/a/" → [a, ""] (a trailing slash is a distinct path, as in Flask).
  private static String[] split(String path) {
    if (path.equals("/") || path.isEmpty()) {
      return new String[0];
    }
    return (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
  }
}
