package dev.sluice.dashboard;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A parser of the Prometheus text exposition format (version 0.0.4): comments and
 * {@code # HELP}/{@code # TYPE} lines are skipped, label values are unescaped ({@code \\ \" \n}),
 * values may be {@code NaN}, {@code +Inf}, {@code -Inf}, and an optional timestamp is ignored.
 * A malformed line is reported and skipped; it never hides the rest of the page.
 *
 * <pre>{@code
 * PrometheusText.Page page = PrometheusText.parse(body, name -> name.startsWith("istio_"));
 * }</pre>
 */
public final class PrometheusText {
  private PrometheusText() {}

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public Sample {
      requireNonNull(name, "name");
      labels = Map.copyOf(labels);
    }
  }

  /** The parsed samples and the lines that could not be parsed ({@code line N: why}). */
  public record Page(List<Sample> samples, List<String> errors) {
    public Page {
      samples = List.copyOf(samples);
      errors = List.copyOf(errors);
    }
  }

  /** Parses every sample. */
  public static Page parse(String text) {
    return parse(text, name -> true);
  }

  /** Parses the samples whose metric name passes {@code keep} (others are not even split into labels). */
  public static Page parse(String text, Predicate<String> keep) {
    List<Sample> samples = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      String l = line.strip();
      if (l.isEmpty() || l.charAt(0) == '#') {
        continue;
      }
      try {
        Sample s = parseLine(l, keep);
        if (s != null) {
          samples.add(s);
        }
      } catch (IllegalArgumentException e) {
        errors.add("line " + lineNo + ": " + e.getMessage());
      }
    }
    return new Page(samples, errors);
  }

  private static @org.jspecify.annotations.Nullable Sample parseLine(String l, Predicate<String> keep) {
    int i = 0;
    while (i < l.length() && l.charAt(i) != '{' && !Character.isWhitespace(l.charAt(i))) {
      i++;
    }
    String name = l.substring(0, i);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("missing metric name");
    }
    if (!keep.test(name)) {
      return null;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < l.length() && l.charAt(i) == '{') {
      i = parseLabels(l, i + 1, labels);
    }
    String rest = l.substring(i).strip();
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("missing value after " + name);
    }
    int space = indexOfWhitespace(rest);
    String value = space < 0 ? rest : rest.substring(0, space);
    return new Sample(name, labels, parseValue(value));
  }

  /** Parses {@code a="x",b="y"}} from {@code i} (just past '{'); returns the index after '}'. */
  private static int parseLabels(String l, int i, Map<String, String> out) {
    while (true) {
      i = skipSpaces(l, i);
      if (i >= l.length()) {
        throw new IllegalArgumentException("unterminated label set");
      }
      if (l.charAt(i) == '}') {
        return i + 1;
      }
      int eq = l.indexOf('=', i);
      if (eq < 0) {
        throw new IllegalArgumentException("label without '=' at column " + (i + 1));
      }
      String key = l.substring(i, eq).strip();
      i = skipSpaces(l, eq + 1);
      if (i >= l.length() || l.charAt(i) != '"') {
        throw new IllegalArgumentException("label " + key + ": value not quoted");
      }
      StringBuilder v = new StringBuilder();
      i++;
      while (true) {
        if (i >= l.length()) {
          throw new IllegalArgumentException("label " + key + ": unterminated value");
        }
        char c = l.charAt(i++);
        if (c == '"') {
          break;
        }
        if (c == '\\' && i < l.length()) {
          char e = l.charAt(i++);
          v.append(switch (e) {
            case 'n' -> '\n';
            case '\\' -> '\\';
            case '"' -> '"';
            default -> throw new IllegalArgumentException("label " + key + ": bad escape \\" + e);
          });
        } else {
          v.append(c);
        }
      }
      out.put(key, v.toString());
      i = skipSpaces(l, i);
      if (i < l.length() && l.charAt(i) == ',') {
        i++;
      }
    }
  }

  static double parseValue(String v) {
    return switch (v) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("value: " + v + " (expected: a float, NaN or ±Inf)");
        }
      }
    };
  }

  private static int skipSpaces(String l, int i) {
    while (i < l.length() && Character.isWhitespace(l.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
