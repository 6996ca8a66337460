package dev.sluice.config.validation;

import dev.sluice.config.GoStrings;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.sluice.config.istio.StringMatch;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/**
 * The checks every kind shares: durations, ports, host names, IP addresses, percentages, regexes,
 * label selectors, {@code exportTo}, gateway names and header names/values. Each returns Istio's
 * error text, or {@code null} when the value is fine.
 */
final class Primitives {
  private Primitives() {}

  static final String DNS1123_LABEL = "[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?";
  private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("^" + DNS1123_LABEL + "$");
  private static final java.util.regex.Pattern WILDCARD_LABEL =
      java.util.regex.Pattern.compile("^(\\*|(\\*|\\*-)?" + DNS1123_LABEL + ")$");
  private static final String QUALIFIED_NAME = "(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final java.util.regex.Pattern LABEL_KEY = java.util.regex.Pattern.compile(
      "^(" + DNS1123_LABEL + "(?:\\." + DNS1123_LABEL + ")*/)?(" + QUALIFIED_NAME + ")$");
  private static final java.util.regex.Pattern LABEL_VALUE =
      java.util.regex.Pattern.compile("^(" + QUALIFIED_NAME + ")?$");
  private static final java.util.regex.Pattern GO_DURATION =
      java.util.regex.Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

  // ---------------------------------------------------------------- durations

  /**
   * Nanoseconds of a Go duration ({@code 1h30m}, {@code 0.5s}, {@code 10ms}), or null when the
   * text is not one.
   */
  static @Nullable BigDecimal durationNanos(String text) {
    String s = text.trim();
    boolean negative = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      negative = s.startsWith("-");
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return BigDecimal.ZERO;
    }
    if (s.isEmpty()) {
      return null;
    }
    Matcher m = GO_DURATION.matcher(s);
    BigDecimal total = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at || m.group(1).isEmpty() || m.group(1).equals(".")) {
        return null;
      }
      BigDecimal unit = switch (m.group(2)) {
        case "ns" -> BigDecimal.ONE;
        case "us", "µs", "μs" -> BigDecimal.valueOf(1_000L);
        case "ms" -> BigDecimal.valueOf(1_000_000L);
        case "s" -> BigDecimal.valueOf(1_000_000_000L);
        case "m" -> BigDecimal.valueOf(60_000_000_000L);
        default -> BigDecimal.valueOf(3_600_000_000_000L);
      };
      total = total.add(new BigDecimal(m.group(1)).multiply(unit));
      at = m.end();
    }
    return negative ? total.negate() : total;
  }

  /** Istio's duration rule: at least 1ms and whole milliseconds. */
  static @Nullable String duration(@Nullable String text) {
    if (text == null) {
      return null;
    }
    BigDecimal nanos = durationNanos(text);
    if (nanos == null) {
      return "invalid duration " + GoStrings.quote(text) + ": must be a valid duration greater than 1ms";
    }
    if (nanos.compareTo(BigDecimal.valueOf(1_000_000L)) < 0) {
      return "duration must be greater than 1ms";
    }
    if (nanos.remainder(BigDecimal.valueOf(1_000_000L)).signum() != 0) {
      return "only durations to ms precision are supported";
    }
    return null;
  }

  // ---------------------------------------------------------------- numbers

  static @Nullable String port(int port) {
    return port >= 1 && port <= 65535 ? null : "port number " + port + " must be in the range 1..65535";
  }

  /** A {@code Percent} value: 0, or within [0.0001, 100]. */
  static @Nullable String percentage(@Nullable Double value) {
    if (value == null) {
      return null;
    }
    double v = value;
    if (v < 0 || v > 100 || (v > 0 && v < 0.0001)) {
      return "percentage " + goFloat(v) + " is neither 0.0, nor in range [0.0001, 100.0]";
    }
    return null;
  }

  /** An integer percent in 0..100. */
  static @Nullable String intPercent(@Nullable Integer value) {
    if (value == null || (value >= 0 && value <= 100)) {
      return null;
    }
    return "percentage " + value + " is not in range 0..100";
  }

  /** Go's {@code %v} of a float64: {@code 101}, {@code 0.5}, {@code 1e-05}. */
  static String goFloat(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e21) {
      return Long.toString((long) v);
    }
    double abs = Math.abs(v);
    if (abs < 1e-4 || abs >= 1e21) {
      String s = String.format(Locale.ROOT, "%e", v).replaceAll("0+e", "e").replace(".e", "e");
      return s.replaceAll("e([+-])0*(\\d\\d)", "e$1$2");
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  // ---------------------------------------------------------------- names

  static boolean isDns1123Label(@Nullable String s) {
    return s != null && s.length() <= 63 && LABEL.matcher(s).matches();
  }

  static boolean isWildcardDns1123Label(String s) {
    return s.length() <= 63 && WILDCARD_LABEL.matcher(s).matches();
  }

  private static @Nullable String dnsPreconditions(String name) {
    if (name.length() > 255) {
      return "domain name " + GoStrings.quote(name) + " too long (max 255)";
    }
    if (name.isEmpty()) {
      return "empty domain name not allowed";
    }
    return null;
  }

  static @Nullable String dns1123Labels(String domain) {
    String[] parts = domain.split("\\.", -1);
    String tld = parts[parts.length - 1];
    if (tld.matches("[+-]?[0-9]+")) {
      return "domain name " + GoStrings.quote(domain) + " invalid (top level domain " + GoStrings.quote(tld) + " cannot be all-numeric)";
    }
    for (int i = 0; i < parts.length; i++) {
      if (i == parts.length - 1 && parts[i].isEmpty()) {
        return null;
      }
      if (!isDns1123Label(parts[i])) {
        return "domain name " + GoStrings.quote(domain) + " invalid (label " + GoStrings.quote(parts[i]) + " invalid)";
      }
    }
    return null;
  }

  /** A fully qualified name without wildcards. */
  static @Nullable String fqdn(String name) {
    String pre = dnsPreconditions(name);
    return pre != null ? pre : dns1123Labels(name);
  }

  /** A domain that may have a wildcard first label ({@code *.example.com}, {@code *}). */
  static @Nullable String wildcardDomain(String domain) {
    String pre = dnsPreconditions(domain);
    if (pre != null) {
      return pre;
    }
    int dot = domain.indexOf('.');
    String first = dot < 0 ? domain : domain.substring(0, dot);
    if (!isWildcardDns1123Label(first)) {
      return "domain name " + GoStrings.quote(domain) + " invalid (label " + GoStrings.quote(first) + " invalid)";
    }
    return dot < 0 ? null : dns1123Labels(domain.substring(dot + 1));
  }

  static @Nullable String partialWildcard(String host) {
    if (host.contains("*") && host.length() != 1 && !host.startsWith("*.")) {
      return "partial wildcard " + GoStrings.quote(host) + " not allowed";
    }
    return null;
  }


  /** Whether every name host {@code a} covers is covered by {@code b}. */
  static boolean hostSubsetOf(String a, String b) {
    boolean aw = a.startsWith("*");
    boolean bw = b.startsWith("*");
    if (aw) {
      return bw && a.length() >= b.length() && a.substring(1).endsWith(b.substring(1));
    }
    if (bw) {
      return a.endsWith(b.substring(1));
    }
    return a.equals(b);
  }

  // ---------------------------------------------------------------- regexes and matches

  static @Nullable String regex(String re, String where) {
    if (re.length() > 1024) {
      return GoStrings.quote(where) + ": regex is too large, max length allowed is 1024";
    }
    try {
      Pattern.compile(re);
      return null;
    } catch (PatternSyntaxException e) {
      return GoStrings.quote(where) + ": " + e.getMessage()
          + "; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)";
    }
  }

  /** Regex rules only (empty regex, RE2 syntax); an empty prefix is accepted. */
  static @Nullable String stringMatchRegex(@Nullable StringMatch m, String where) {
    if (m instanceof StringMatch.Regex r) {
      return r.value().isEmpty() ? GoStrings.quote(where) + ": regex string match should not be empty" : regex(r.value(), where);
    }
    return null;
  }

  /** Prefix and regex must not be empty; regexes must compile. */
  static @Nullable String stringMatch(@Nullable StringMatch m, String where) {
    if (m instanceof StringMatch.Prefix p && p.value().isEmpty()) {
      return GoStrings.quote(where) + ": prefix string match should not be empty";
    }
    return stringMatchRegex(m, where);
  }

  // ---------------------------------------------------------------- labels, selectors

  /** Kubernetes label keys and values ({@code labels.Instance.Validate}). */
  static List<String> labels(Map<String, String> labels) {
    List<String> errs = new ArrayList<>();
    labels.forEach((k, v) -> {
      Matcher m = LABEL_KEY.matcher(k);
      if (!m.matches()) {
        errs.add("invalid tag key: " + GoStrings.quote(k));
      } else if (m.group(1) != null && m.group(1).length() - 1 > 253) {
        errs.add("invalid tag key: " + GoStrings.quote(k) + " (DNS prefix is too long)");
      } else if (m.group(2).length() > 63) {
        errs.add("invalid tag key: " + GoStrings.quote(k) + " (name is too long)");
      }
      if (!LABEL_VALUE.matcher(v).matches()) {
        errs.add("invalid tag value: " + GoStrings.quote(v));
      }
    });
    return errs;
  }

  /** Errors of a selector's labels: empty keys and wildcards (webhook and CRD texts). */
  static List<String> selectorErrors(Map<String, String> labels) {
    List<String> errs = new ArrayList<>();
    labels.forEach((k, v) -> {
      String kv = GoStrings.quote(k + "=" + v);
      if (k.isEmpty()) {
        errs.add("empty key is not supported in selector: " + kv + " (key must not be empty)");
      }
      if (k.contains("*") || v.contains("*")) {
        errs.add("wildcard is not supported in selector: " + kv + " ("
            + (k.contains("*") ? "wildcard not allowed in label key match" : "wildcard not allowed in label value match")
            + ")");
      }
    });
    return errs;
  }

  // ---------------------------------------------------------------- exportTo

  static List<String> exportTo(String namespace, List<String> exportTo, boolean serviceEntry,
      boolean destinationRuleWithSelector) {
    List<String> errs = new ArrayList<>();
    if (exportTo.isEmpty()) {
      return errs;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String e : exportTo) {
      String key = e.equals(".") ? namespace : e;
      if (seen.contains(key)) {
        errs.add(!key.equals(e) ? "duplicate entries in exportTo: . and current namespace " + namespace
            : "duplicate entries in exportTo for entry " + e);
      } else if (serviceEntry && e.equals("~")) {
        seen.add(key);
      } else {
        String err = visibility(key);
        if (err != null) {
          errs.add(err);
        } else {
          seen.add(key);
        }
      }
    }
    if (destinationRuleWithSelector && !seen.isEmpty()) {
      if (seen.contains(namespace)) {
        if (seen.size() > 1) {
          errs.add("destination rule with workload selector cannot have multiple entries in exportTo");
        }
      } else {
        errs.add("destination rule with workload selector cannot have exportTo beyond current namespace");
      }
    }
    if (seen.contains("*") && exportTo.size() > 1) {
      errs.add("cannot have both public (*) and non-public exportTo values for a resource");
    }
    if (seen.contains("~") && exportTo.size() > 1) {
      errs.add("cannot export service entry to no one (~) and someone");
    }
    return errs;
  }

  private static @Nullable String visibility(String v) {
    return switch (v) {
      case ".", "*" -> null;
      case "~" -> "exportTo ~ (none) is not allowed for Istio configuration objects";
      default -> isDns1123Label(v) ? null : "only .,*, or a valid DNS 1123 label is allowed as exportTo entry";
    };
  }

  // ---------------------------------------------------------------- gateway names

  /** {@code gateways} entries: {@code ns/name}, {@code name} or the legacy {@code name.ns...}. */
  static void gatewayNames(List<String> names, String path, Issues out) {
    for (String name : names) {
      int slash = name.indexOf('/');
      if (slash < 0) {
        if (name.contains(".")) {
          String[] parts = name.split("\\.", -1);
          out.warn(path, "using legacy gatewayName format " + GoStrings.quote(name)
              + "; prefer the <namespace>/<name> format: " + GoStrings.quote(parts[1] + "/" + parts[0]));
        }
        out.error(path, fqdn(name));
        // Istio stops at the first unqualified name.
        return;
      }
      String ns = name.substring(0, slash);
      String gw = name.substring(slash + 1);
      if (ns.isEmpty() || gw.isEmpty()) {
        out.error(path, "config namespace and gateway name cannot be empty");
      }
      if (!isDns1123Label(ns)) {
        out.error(path, "invalid value for namespace: " + GoStrings.quote(ns));
      }
      if (!isDns1123Label(gw)) {
        out.error(path, "invalid value for gateway name: " + GoStrings.quote(gw));
      }
    }
  }

  // ---------------------------------------------------------------- misc

  /** A CRD enum check, in the API server's words. */
  static @Nullable String oneOf(String path, @Nullable String value, String... allowed) {
    if (value == null) {
      return null;
    }
    for (String a : allowed) {
      if (a.equals(value)) {
        return null;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String a : allowed) {
      sb.append(sb.isEmpty() ? "" : ", ").append('"').append(a).append('"');
    }
    return path + ": Unsupported value: " + GoStrings.quote(value) + ": supported values: " + sb;
  }


  /** Go's {@code %v} of a sorted string slice: {@code [a b]}. */
  static String goList(Iterable<String> items) {
    return "[" + String.join(" ", items) + "]";
  }

  static boolean isPrime(long x) {
    if (x != 0 && x < 4) {
      return true;
    }
    if ((x & 1) == 0) {
      return false;
    }
    long limit = (long) Math.sqrt((double) x);
    for (long f = 3; f <= limit; f += 2) {
      if (x % f == 0) {
        return false;
      }
    }
    return true;
  }

  static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }
}
