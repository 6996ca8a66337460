package dev.sluice.proxy.internal;

import java.util.Locale;
import java.util.logging.Level;

/** Envoy's log level names mapped to java.util.logging levels. */
public final class LogLevels {
  private LogLevels() {}

  /** Parses trace, debug, info, warning/warn, error, critical, off. */
  public static Level parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "trace" -> Level.FINEST;
      case "debug" -> Level.FINE;
      case "info" -> Level.INFO;
      case "warning", "warn" -> Level.WARNING;
      case "error", "critical" -> Level.SEVERE;
      case "off" -> Level.OFF;
      default -> throw new IllegalArgumentException(
          "log level: " + name + " (expected: trace, debug, info, warning, error, critical or off)");
    };
  }

  static String name(Level l) {
    if (l == null) {
      return "info";
    }
    int v = l.intValue();
    if (v <= Level.FINEST.intValue()) {
      return "trace";
    } else if (v <= Level.FINE.intValue()) {
      return "debug";
    } else if (v <= Level.INFO.intValue()) {
      return "info";
    } else if (v <= Level.WARNING.intValue()) {
      return "warning";
    } else if (v == Level.OFF.intValue()) {
      return "off";
    }
    return "error";
  }
}
