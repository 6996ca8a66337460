package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import java.util.Locale;

/**
 * A string comparison as in Envoy's {@code type.matcher.v3.StringMatcher}: exact, prefix, suffix,
 * contains (each optionally ignoring ASCII case) or an RE2 regular expression matched against the
 * whole input.
 */
public sealed interface StringMatcher {

  /** Whether {@code value} satisfies this matcher. */
  boolean matches(String value);

  /** Equal to {@code value}. */
  record Exact(String value, boolean ignoreCase) implements StringMatcher {
    public Exact {
      requireNonNull(value, "value");
    }

    @Override
    public boolean matches(String input) {
      return ignoreCase ? input.equalsIgnoreCase(value) : input.equals(value);
    }
  }

  /** Starts with {@code value}. */
  record Prefix(String value, boolean ignoreCase) implements StringMatcher {
    public Prefix {
      requireNonNull(value, "value");
    }

    @Override
    public boolean matches(String input) {
      return input.regionMatches(ignoreCase, 0, value, 0, value.length());
    }
  }

  /** Ends with {@code value}. */
  record Suffix(String value, boolean ignoreCase) implements StringMatcher {
    public Suffix {
      requireNonNull(value, "value");
    }

    @Override
    public boolean matches(String input) {
      int off = input.length() - value.length();
      return off >= 0 && input.regionMatches(ignoreCase, off, value, 0, value.length());
    }
  }

  /** Contains {@code value}. */
  record Contains(String value, boolean ignoreCase) implements StringMatcher {
    public Contains {
      requireNonNull(value, "value");
    }

    @Override
    public boolean matches(String input) {
      if (!ignoreCase) {
        return input.contains(value);
      }
      return input.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Matches the whole input against an RE2 expression (linear time; safe with untrusted config).
   * Equality is by the expression text, so two parses of one config compare equal.
   */
  record Regex(Pattern pattern) implements StringMatcher {
    public Regex {
      requireNonNull(pattern, "pattern");
    }

    /** Compiles {@code regex}; throws {@link com.google.re2j.PatternSyntaxException} when invalid. */
    public static Regex of(String regex) {
      return new Regex(Pattern.compile(regex));
    }

    @Override
    public boolean matches(String input) {
      return pattern.matches(input);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Regex r && r.pattern.pattern().equals(pattern.pattern());
    }

    @Override
    public int hashCode() {
      return pattern.pattern().hashCode();
    }

    @Override
    public String toString() {
      return "Regex[" + pattern.pattern() + "]";
    }
  }
}
