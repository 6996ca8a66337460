package dev.sluice.config.analysis.analyzers;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Kubernetes equality label selectors built from a map ({@code SelectorFromSet}). */
final class Selectors {
  private Selectors() {}

  /** Whether every entry of {@code selector} is among {@code labels}; an empty selector selects everything. */
  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** The selector as Kubernetes prints it: {@code k1=v1,k2=v2}, keys sorted. */
  static String toString(Map<String, String> selector) {
    return new TreeMap<>(selector).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** The field path of a selector's first label ({@code spec.selector.istio}) for placing a message. */
  static String fieldOfFirstLabel(String prefix, Map<String, String> selector) {
    String s = toString(selector);
    int eq = s.indexOf('=');
    return eq < 0 ? prefix : prefix + "." + s.substring(0, eq);
  }
}
