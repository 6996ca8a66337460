package dev.sluice.translate;

import com.google.protobuf.Duration;
import org.jspecify.annotations.Nullable;

/** Istio duration strings ({@code 10s}, {@code 1.5s}, {@code 100ms}, {@code 1h2m}) as proto durations. */
final class Durations {
  private Durations() {}

  /** Parses {@code text}; {@code null} when absent or malformed (validation rejects those earlier). */
  static @Nullable Duration parse(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    long nanos = 0;
    int i = 0;
    String s = text.trim();
    try {
      while (i < s.length()) {
        int start = i;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        double value = Double.parseDouble(s.substring(start, i));
        int unitStart = i;
        while (i < s.length() && Character.isLetter(s.charAt(i))) {
          i++;
        }
        String unit = s.substring(unitStart, i);
        double factor = switch (unit) {
          case "ns" -> 1;
          case "us", "µs" -> 1e3;
          case "ms" -> 1e6;
          case "s" -> 1e9;
          case "m" -> 60e9;
          case "h" -> 3600e9;
          case "d" -> 86400e9;
          default -> throw new NumberFormatException(unit);
        };
        nanos += Math.round(value * factor);
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      return null;
    }
    return of(nanos);
  }

  static Duration of(long nanos) {
    return Duration.newBuilder().setSeconds(nanos / 1_000_000_000L).setNanos((int) (nanos % 1_000_000_000L)).build();
  }

  static Duration seconds(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }

  static final Duration ZERO = Duration.getDefaultInstance();
}
