package dev.sluice.dashboard;

import java.util.Map;

/**
 * Kiali's health of a node or edge from its response codes (reference A3.1 defaults): HTTP 5xx
 * (and code 0, no response) degraded at ≥ 0.1 %, failure at ≥ 10 %; HTTP 4xx degraded at ≥ 10 %,
 * failure at ≥ 20 %.
 */
public enum Health {
  HEALTHY, DEGRADED, FAILURE, NO_TRAFFIC;

  static final double FIVE_XX_DEGRADED = 0.1;
  static final double FIVE_XX_FAILURE = 10;
  static final double FOUR_XX_DEGRADED = 10;
  static final double FOUR_XX_FAILURE = 20;

  /** The health of traffic with these requests/s per response code. */
  static Health of(Map<String, Double> rpsByCode) {
    double total = 0;
    double fiveXx = 0;
    double fourXx = 0;
    for (Map.Entry<String, Double> e : rpsByCode.entrySet()) {
      total += e.getValue();
      switch (codeClass(e.getKey())) {
        case '5' -> fiveXx += e.getValue();
        case '4' -> fourXx += e.getValue();
        default -> { }
      }
    }
    if (!(total > 0)) {
      return NO_TRAFFIC;
    }
    double p5 = 100 * fiveXx / total;
    double p4 = 100 * fourXx / total;
    if (p5 >= FIVE_XX_FAILURE || p4 >= FOUR_XX_FAILURE) {
      return FAILURE;
    }
    if (p5 >= FIVE_XX_DEGRADED || p4 >= FOUR_XX_DEGRADED) {
      return DEGRADED;
    }
    return HEALTHY;
  }

  /** '5' for 5xx and 0 (no response), '4' for 4xx, else the first digit. */
  static char codeClass(String code) {
    if (code.equals("0")) {
      return '5';
    }
    return code.isEmpty() ? '?' : code.charAt(0);
  }

  /** Percentage of 4xx, 5xx and code-0 responses. */
  static double errorPercent(Map<String, Double> rpsByCode) {
    double total = 0;
    double errors = 0;
    for (Map.Entry<String, Double> e : rpsByCode.entrySet()) {
      total += e.getValue();
      char c = codeClass(e.getKey());
      if (c == '4' || c == '5') {
        errors += e.getValue();
      }
    }
    return total > 0 ? 100 * errors / total : 0;
  }
}
