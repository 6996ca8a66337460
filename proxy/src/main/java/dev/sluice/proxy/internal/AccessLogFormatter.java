package dev.sluice.proxy.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Renders Envoy access-log format strings ({@code %COMMAND%} operators) for a {@link LogEntry},
 * as text or as a JSON object (Istio's two formats). Compiled once per config.
 */
final class AccessLogFormatter {
  private static final DateTimeFormatter START_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** One compiled format string: literal and operator parts. */
  private final List<Function<LogEntry, @Nullable Object>> parts;
  private final @Nullable List<String> jsonKeys;
  private final @Nullable List<AccessLogFormatter> jsonValues;

  private AccessLogFormatter(List<Function<LogEntry, @Nullable Object>> parts) {
    this.parts = parts;
    this.jsonKeys = null;
    this.jsonValues = null;
  }

  private AccessLogFormatter(List<String> keys, List<AccessLogFormatter> values) {
    this.parts = List.of();
    this.jsonKeys = keys;
    this.jsonValues = values;
  }

  static AccessLogFormatter text(String format) {
    return new AccessLogFormatter(compile(format));
  }

  static AccessLogFormatter json(Map<String, String> fields) {
    List<String> keys = new ArrayList<>(fields.keySet());
    List<AccessLogFormatter> values = new ArrayList<>();
    for (String k : keys) {
      values.add(text(fields.get(k)));
    }
    return new AccessLogFormatter(keys, values);
  }

  /** The formatted line (JSON lines end with a newline, as Envoy's). */
  String format(LogEntry e) {
    StringBuilder sb = new StringBuilder(256);
    if (jsonKeys != null) {
      sb.append('{');
      for (int i = 0; i < jsonKeys.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        quote(sb, jsonKeys.get(i));
        sb.append(':');
        AccessLogFormatter v = jsonValues.get(i);
        // A value that is exactly one numeric operator stays a number, as in Envoy's JSON logs.
        Object single = v.parts.size() == 1 ? v.parts.get(0).apply(e) : null;
        if (single instanceof Number n) {
          sb.append(n);
        } else if (v.parts.size() == 1 && single == null) {
          sb.append("null");
        } else {
          quote(sb, v.render(e, false));
        }
      }
      return sb.append("}\n").toString();
    }
    return render(e, true);
  }

  private String render(LogEntry e, boolean dashForMissing) {
    StringBuilder sb = new StringBuilder(256);
    for (var p : parts) {
      Object v = p.apply(e);
      sb.append(v == null ? (dashForMissing ? "-" : "") : v.toString());
    }
    return sb.toString();
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static List<Function<LogEntry, @Nullable Object>> compile(String format) {
    List<Function<LogEntry, @Nullable Object>> out = new ArrayList<>();
    int i = 0;
    StringBuilder lit = new StringBuilder();
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c == '%') {
        int end = format.indexOf('%', i + 1);
        if (end < 0) {
          lit.append(format, i, format.length());
          break;
        }
        String op = format.substring(i + 1, end);
        if (op.isEmpty()) { // "%%" is a literal percent
          lit.append('%');
          i = end + 1;
          continue;
        }
        if (!lit.isEmpty()) {
          String s = lit.toString();
          out.add(e -> s);
          lit.setLength(0);
        }
        out.add(operator(op));
        i = end + 1;
      } else {
        lit.append(c);
        i++;
      }
    }
    if (!lit.isEmpty()) {
      String s = lit.toString();
      out.add(e -> s);
    }
    return out;
  }

  private static Function<LogEntry, @Nullable Object> operator(String op) {
    String name = op;
    int maxLen = -1;
    int colon = op.lastIndexOf(':');
    if (op.endsWith(")") || colon < 0) {
      // no length suffix
    } else if (op.lastIndexOf(')') < colon) {
      try {
        maxLen = Integer.parseInt(op.substring(colon + 1));
        name = op.substring(0, colon);
      } catch (NumberFormatException ignored) {
        // not a length
      }
    }
    Function<LogEntry, @Nullable Object> f = base(name);
    if (maxLen < 0) {
      return f;
    }
    int n = maxLen;
    return e -> {
      Object v = f.apply(e);
      if (v == null) {
        return null;
      }
      String s = v.toString();
      return s.length() > n ? s.substring(0, n) : s;
    };
  }

  private static Function<LogEntry, @Nullable Object> base(String op) {
    if (op.startsWith("REQ(") && op.endsWith(")")) {
      String[] alt = op.substring(4, op.length() - 1).split("\\?", 2);
      String main = pseudo(alt[0]);
      String second = alt.length > 1 ? pseudo(alt[1]) : null;
      return e -> {
        String v = requestValue(e, main);
        if (v == null && second != null) {
          v = requestValue(e, second);
        }
        return v;
      };
    }
    if (op.startsWith("RESP(") && op.endsWith(")")) {
      String h = op.substring(5, op.length() - 1).toLowerCase(Locale.ROOT);
      return e -> e.responseHeaders == null ? null : e.responseHeaders.get(h);
    }
    if (op.startsWith("START_TIME")) {
      return e -> START_TIME.format(Instant.ofEpochMilli(e.startEpochMillis));
    }
    return switch (op) {
      case "PROTOCOL" -> e -> e.protocol;
      case "RESPONSE_CODE" -> e -> e.responseCode;
      case "RESPONSE_FLAGS" -> e -> e.flags;
      case "RESPONSE_CODE_DETAILS" -> e -> e.details;
      case "CONNECTION_TERMINATION_DETAILS" -> e -> nullIfDash(e.terminationDetails);
      case "UPSTREAM_TRANSPORT_FAILURE_REASON" -> e -> nullIfDash(e.transportFailure);
      case "BYTES_RECEIVED" -> e -> e.bytesReceived;
      case "BYTES_SENT" -> e -> e.bytesSent;
      case "DURATION" -> e -> e.durationMillis;
      case "UPSTREAM_HOST" -> e -> e.upstreamHost;
      case "UPSTREAM_CLUSTER", "UPSTREAM_CLUSTER_RAW" -> e -> e.upstreamCluster;
      case "UPSTREAM_LOCAL_ADDRESS" -> e -> e.upstreamLocal;
      case "DOWNSTREAM_LOCAL_ADDRESS" -> e -> e.downstreamLocal;
      case "DOWNSTREAM_REMOTE_ADDRESS", "DOWNSTREAM_DIRECT_REMOTE_ADDRESS" -> e -> e.downstreamRemote;
      case "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT", "DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT" ->
          e -> withoutPort(e.downstreamRemote);
      case "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT" -> e -> withoutPort(e.downstreamLocal);
      case "ROUTE_NAME" -> e -> e.routeName == null || e.routeName.isEmpty() ? null : e.routeName;
      case "REQUESTED_SERVER_NAME" -> e -> null;
      case "UPSTREAM_SERVICE_TIME" -> e -> e.upstreamServiceTime;
      case "HOSTNAME" -> e -> hostname();
      default -> e -> null; // unknown operators print "-"
    };
  }

  private static String pseudo(String h) {
    String l = h.toLowerCase(Locale.ROOT);
    return switch (l) {
      case ":authority" -> "host";
      default -> l;
    };
  }

  private static @Nullable String requestValue(LogEntry e, String name) {
    return switch (name) {
      case ":method" -> e.method;
      case ":path" -> e.path;
      case "x-envoy-original-path" -> e.originalPath;
      default -> e.requestHeader(name);
    };
  }

  private static @Nullable String nullIfDash(String s) {
    return s.equals("-") ? null : s;
  }

  private static String withoutPort(String addr) {
    int c = addr.lastIndexOf(':');
    return c > 0 && addr.indexOf(':') == c ? addr.substring(0, c) : addr;
  }

  private static volatile @Nullable String host;

  private static String hostname() {
    String h = host;
    if (h == null) {
      try {
        h = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        h = "localhost";
      }
      host = h;
    }
    return h;
  }
}
