package dev.sluice.proxy.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * Envoy's {@code /stats/prometheus}: dotted names become {@code envoy_<family>_<stat>} with the
 * cluster name, connection-manager prefix or TCP prefix as a label.
 */
final class PrometheusFormat {
  private PrometheusFormat() {}

  private record Sample(String labels, long value) {}

  static String render(Stats stats) {
    Map<String, Map<String, Long>> counters = group(stats.counters());
    Map<String, Map<String, Long>> gauges = group(stats.gauges());
    StringBuilder sb = new StringBuilder();
    write(sb, counters, "counter");
    write(sb, gauges, "gauge");
    return sb.toString();
  }

  private static void write(StringBuilder sb, Map<String, Map<String, Long>> families, String type) {
    families.forEach((name, samples) -> {
      sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
      samples.forEach((labels, v) -> sb.append(name).append(labels).append(' ').append(v).append('\n'));
    });
  }

  private static Map<String, Map<String, Long>> group(Map<String, Long> stats) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    stats.forEach((k, v) -> {
      String family;
      String labels = "";
      int first = k.indexOf('.');
      int last = k.lastIndexOf('.');
      String head = first < 0 ? k : k.substring(0, first);
      if (first > 0 && last > first && (head.equals("cluster") || head.equals("http") || head.equals("tcp"))) {
        String middle = k.substring(first + 1, last);
        String stat = k.substring(last + 1);
        String label = switch (head) {
          case "cluster" -> "envoy_cluster_name";
          case "http" -> "envoy_http_conn_manager_prefix";
          default -> "envoy_tcp_prefix";
        };
        family = "envoy_" + head + "_" + sanitize(stat);
        labels = "{" + label + "=\"" + middle.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
      } else {
        family = "envoy_" + sanitize(k);
      }
      out.computeIfAbsent(family, f -> new TreeMap<>()).put(labels, v);
    });
    return out;
  }

  private static String sanitize(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(Character.isLetterOrDigit(c) || c == '_' ? c : '_');
    }
    return b.toString();
  }
}
