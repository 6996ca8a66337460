package dev.sluice.proxy.core.xds;

import java.time.Duration;
import java.util.function.Supplier;

/** Helpers that prefix validation messages with the field path where they occurred. */
final class Fields {
  private Fields() {}

  /** Runs {@code body}; an {@link IllegalArgumentException} is rethrown with {@code field.} prefixed. */
  static <T> T at(String field, Supplier<T> body) {
    try {
      return body.get();
    } catch (IllegalArgumentException | com.google.re2j.PatternSyntaxException e) {
      String msg = e instanceof com.google.re2j.PatternSyntaxException p
          ? "regex: invalid RE2 expression (" + p.getDescription() + ": " + p.getPattern() + ")"
          : e.getMessage();
      throw new IllegalArgumentException(field + "." + msg, e);
    }
  }

  static IllegalArgumentException invalid(String field, Object value, String expected) {
    return new IllegalArgumentException(field + ": " + value + " (expected: " + expected + ")");
  }

  static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
