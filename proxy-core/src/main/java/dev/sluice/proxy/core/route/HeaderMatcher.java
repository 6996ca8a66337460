package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A header condition of a route, as Envoy's {@code HeaderMatcher}. When the header is absent a
 * value matcher fails (or sees {@code ""} with {@code treatMissingAsEmpty}); a presence matcher
 * with {@code present == false} matches an absent header. {@code invert} negates the result.
 *
 * @param name lower-case header name
 * @param value the value condition, or {@code null} for a presence check
 * @param present for a presence check: whether the header must be present
 */
public record HeaderMatcher(
    String name,
    @Nullable StringMatcher value,
    boolean present,
    boolean invert,
    boolean treatMissingAsEmpty) {

  public HeaderMatcher {
    requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: \"\" (expected: a header name)");
    }
  }

  /** A value condition on {@code name}. */
  public static HeaderMatcher of(String name, StringMatcher value) {
    return new HeaderMatcher(name, value, true, false, false);
  }

  /** A presence condition on {@code name}. */
  public static HeaderMatcher present(String name, boolean present) {
    return new HeaderMatcher(name, null, present, false, false);
  }

  /** This matcher with the result negated. */
  public HeaderMatcher inverted() {
    return new HeaderMatcher(name, value, present, !invert, treatMissingAsEmpty);
  }

  /** Evaluates this matcher against {@code request}. */
  public boolean matches(RequestView request) {
    return matchesValue(request.header(name));
  }

  /** Evaluates this matcher against a header value ({@code null} when absent). */
  public boolean matchesValue(@Nullable String actual) {
    boolean result;
    if (value == null) {
      result = (actual != null) == present;
    } else if (actual == null) {
      result = treatMissingAsEmpty && value.matches("");
    } else {
      result = value.matches(actual);
    }
    return result != invert;
  }
}
