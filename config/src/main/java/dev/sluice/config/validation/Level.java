package dev.sluice.config.validation;

import java.util.Locale;

/** Severity of a finding, as Istio orders them: Error &gt; Warning &gt; Info. */
public enum Level {
  ERROR("Error"),
  WARNING("Warning"),
  INFO("Info");

  private final String display;

  Level(String display) {
    this.display = display;
  }

  /** The name Istio prints: {@code Error}, {@code Warning}, {@code Info}. */
  public String display() {
    return display;
  }

  /** Whether this level is at least as severe as {@code other}. */
  public boolean atLeast(Level other) {
    return ordinal() <= other.ordinal();
  }

  /** Parses {@code error}, {@code Warning}, {@code INFO} and so on. */
  public static Level parse(String s) {
    for (Level l : values()) {
      if (l.name().equalsIgnoreCase(s.trim())) {
        return l;
      }
    }
    throw new IllegalArgumentException("level: \"" + s + "\" (expected: Error, Warning or Info)");
  }

  @Override
  public String toString() {
    return display.toLowerCase(Locale.ROOT);
  }
}
