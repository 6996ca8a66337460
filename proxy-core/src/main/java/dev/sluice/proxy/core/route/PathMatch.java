package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;

/**
 * How a route matches the request path (the part before {@code ?}). Variants mirror the
 * {@code path_specifier} one-of of Envoy's {@code RouteMatch}.
 */
public sealed interface PathMatch {

  /** Whether {@code path} (without the query string) matches. */
  boolean matches(String path);

  /** Path starts with {@code prefix}. */
  record Prefix(String prefix, boolean caseSensitive) implements PathMatch {
    public Prefix {
      requireNonNull(prefix, "prefix");
    }

    @Override
    public boolean matches(String path) {
      return path.regionMatches(!caseSensitive, 0, prefix, 0, prefix.length());
    }
  }

  /** Path equals {@code path}. */
  record Exact(String path, boolean caseSensitive) implements PathMatch {
    public Exact {
      requireNonNull(path, "path");
    }

    @Override
    public boolean matches(String p) {
      return caseSensitive ? p.equals(path) : p.equalsIgnoreCase(path);
    }
  }

  /**
   * Path equals {@code prefix} or starts with {@code prefix + "/"}: {@code /api} matches
   * {@code /api} and {@code /api/x} but not {@code /apix}.
   */
  record SeparatedPrefix(String prefix, boolean caseSensitive) implements PathMatch {
    public SeparatedPrefix {
      requireNonNull(prefix, "prefix");
      if (!prefix.startsWith("/") || (prefix.length() > 1 && prefix.endsWith("/"))) {
        throw new IllegalArgumentException(
            "path_separated_prefix: " + prefix + " (expected: starts with '/', no trailing '/')");
      }
    }

    @Override
    public boolean matches(String path) {
      int n = prefix.length();
      if (!path.regionMatches(!caseSensitive, 0, prefix, 0, n)) {
        return false;
      }
      return path.length() == n || path.charAt(n) == '/';
    }
  }

  /** The whole path matches an RE2 expression. */
  record Regex(Pattern pattern) implements PathMatch {
    public Regex {
      requireNonNull(pattern, "pattern");
    }

    @Override
    public boolean matches(String path) {
      return pattern.matches(path);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Regex r && r.pattern.pattern().equals(pattern.pattern());
    }

    @Override
    public int hashCode() {
      return pattern.pattern().hashCode();
    }
  }
}
