package dev.sluice.cli;

import java.time.Duration;
import java.time.Instant;

/** kubectl's AGE column: {@code 45s}, {@code 3m12s}, {@code 5h2m}, {@code 3d}. */
final class Age {
  private Age() {}

  static String since(String isoInstant) {
    if (isoInstant == null || isoInstant.isEmpty()) {
      return "<unknown>";
    }
    try {
      return format(Duration.between(Instant.parse(isoInstant), Instant.now()));
    } catch (java.time.format.DateTimeParseException e) {
      return "<unknown>";
    }
  }

  static String format(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    }
    if (s < 3 * 3600) {
      return s / 60 + "m";
    }
    if (s < 8 * 3600) {
      return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
    }
    if (s < 48 * 3600) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }
}
