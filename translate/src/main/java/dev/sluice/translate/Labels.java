package dev.sluice.translate;

import java.util.Map;

/** Label selector matching. */
final class Labels {
  private Labels() {}

  /** Whether {@code labels} has every key and value of {@code selector}. */
  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    for (var e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
