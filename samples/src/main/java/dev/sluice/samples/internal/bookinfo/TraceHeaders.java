package dev.sluice.samples.internal.bookinfo;

import dev.sluice.samples.internal.http.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The headers Bookinfo's services copy from an inbound request to their outbound calls, so that
 * Istio can join spans into traces and route by {@code end-user}.
 */
final class TraceHeaders {

  /** Copied verbatim by productpage (B3 is re-injected separately, {@code end-user} from the session). */
  static final List<String> PRODUCTPAGE = List.of(
      "x-request-id", "x-ot-span-context", "x-datadog-trace-id", "x-datadog-parent-id",
      "x-datadog-sampling-priority", "traceparent", "tracestate", "x-cloud-trace-context",
      "grpc-trace-bin", "sw8", "user-agent", "cookie", "authorization", "jwt");

  /** Copied verbatim by details and reviews: productpage's list plus B3 and {@code end-user}. */
  static final List<String> DETAILS_AND_REVIEWS = List.of(
      "x-request-id", "x-ot-span-context", "x-datadog-trace-id", "x-datadog-parent-id",
      "x-datadog-sampling-priority", "traceparent", "tracestate", "x-cloud-trace-context",
      "grpc-trace-bin", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled",
      "x-b3-flags", "sw8", "end-user", "user-agent", "cookie", "authorization", "jwt");

  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{16}|[0-9a-f]{32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");

  private TraceHeaders() {}

  /** The headers in {@code names} present on {@code request}, in list order. */
  static List<Map.Entry<String, String>> copy(Request request, List<String> names) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String name : names) {
      String value = request.header(name);
      if (value != null) {
        out.add(Map.entry(name, value));
      }
    }
    return out;
  }

  /**
   * productpage's {@code getForwardHeaders}: B3 as OpenTelemetry's {@code B3MultiFormat}
   * extracts and re-injects it (trace id padded to 32 hex digits, the inbound span id,
   * {@code x-b3-sampled} 1 or 0; parent span id and flags dropped), {@code end-user} when a user
   * is signed in, then the verbatim list.
   */
  static List<Map.Entry<String, String>> productpage(Request request, @Nullable String user) {
    List<Map.Entry<String, String>> out = new ArrayList<>(b3(request));
    if (user != null) {
      out.add(Map.entry("end-user", user));
    }
    out.addAll(copy(request, PRODUCTPAGE));
    return out;
  }

  private static List<Map.Entry<String, String>> b3(Request request) {
    String traceId;
    String spanId;
    String sampled;
    String flags = null;
    String single = request.header("b3");
    if (single != null && single.contains("-")) {
      String[] parts = single.split("-");
      traceId = parts[0];
      spanId = parts.length > 1 ? parts[1] : null;
      sampled = parts.length > 2 ? parts[2] : null;
    } else {
      traceId = request.header("x-b3-traceid");
      spanId = request.header("x-b3-spanid");
      sampled = request.header("x-b3-sampled");
      flags = request.header("x-b3-flags");
    }
    if (traceId == null || spanId == null) {
      return List.of();
    }
    traceId = traceId.toLowerCase(Locale.ROOT);
    spanId = spanId.toLowerCase(Locale.ROOT);
    if (!TRACE_ID.matcher(traceId).matches() || !SPAN_ID.matcher(spanId).matches()
        || traceId.chars().allMatch(c -> c == '0') || spanId.chars().allMatch(c -> c == '0')) {
      return List.of();
    }
    boolean isSampled = "1".equals(flags) || "1".equals(sampled) || "d".equals(sampled)
        || "true".equalsIgnoreCase(sampled);
    return List.of(
        Map.entry("x-b3-traceid", "0".repeat(32 - traceId.length()) + traceId),
        Map.entry("x-b3-spanid", spanId),
        Map.entry("x-b3-sampled", isSampled ? "1" : "0"));
  }
}
