package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A query-parameter condition of a route: {@code value == null} checks presence only; otherwise
 * the first occurrence's value (not percent-decoded, as Envoy) must match.
 */
public record QueryParamMatcher(String name, @Nullable StringMatcher value) {

  public QueryParamMatcher {
    requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: \"\" (expected: a parameter name)");
    }
  }

  /** Evaluates against the raw query string (after {@code ?}, may be empty). */
  public boolean matches(String query) {
    String v = firstValue(query, name);
    if (v == null) {
      return false;
    }
    return value == null || value.matches(v);
  }

  /** The first value of {@code name} in {@code query}, {@code ""} for a bare key, or null. */
  public static @Nullable String firstValue(String query, String name) {
    int i = 0;
    int n = query.length();
    while (i <= n) {
      int amp = query.indexOf('&', i);
      int end = amp < 0 ? n : amp;
      int eq = query.indexOf('=', i);
      int keyEnd = (eq >= 0 && eq < end) ? eq : end;
      if (keyEnd - i == name.length() && query.startsWith(name, i)) {
        return keyEnd == end ? "" : query.substring(keyEnd + 1, end);
      }
      if (amp < 0) {
        break;
      }
      i = amp + 1;
    }
    return null;
  }
}
