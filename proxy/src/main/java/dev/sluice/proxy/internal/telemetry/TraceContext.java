package dev.sluice.proxy.internal.telemetry;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * A trace context as it crosses one hop: B3 multi-header ({@code x-b3-traceid}, {@code
 * x-b3-spanid}, {@code x-b3-parentspanid}, {@code x-b3-sampled}, {@code x-b3-flags}), single
 * {@code b3}, or W3C {@code traceparent}/{@code tracestate}. IDs are lower hex in the headers: a
 * 128-bit trace id (a 64-bit B3 id has {@code traceIdHigh == 0}) and 64-bit span ids.
 *
 * @param parentId the parent span id, 0 when none
 * @param sampled the upstream's decision; {@code null} defers to this proxy's sampling
 * @param debug {@code x-b3-flags: 1} (or {@code d} in single b3): always sampled
 * @param traceIdHigh the upper 64 bits; 0 for a 64-bit trace id
 */
public record TraceContext(long traceIdHigh, long traceIdLow, long spanId, long parentId,
    @Nullable Boolean sampled, boolean debug) {

  /** Reads the incoming context: B3 multi first, then single {@code b3}, then {@code traceparent}. */
  public static @Nullable TraceContext extract(HttpHeaders h) {
    String tid = h.get("x-b3-traceid");
    String sid = h.get("x-b3-spanid");
    if (tid != null && sid != null) {
      TraceContext c = b3(tid, sid, h.get("x-b3-parentspanid"), h.get("x-b3-sampled"), "1".equals(h.get("x-b3-flags")));
      if (c != null) {
        return c;
      }
    }
    String single = h.get("b3");
    if (single != null) {
      TraceContext c = single(single);
      if (c != null) {
        return c;
      }
    }
    String tp = h.get("traceparent");
    return tp == null ? null : traceparent(tp);
  }

  private static @Nullable TraceContext b3(String tid, String sid, @Nullable String pid, @Nullable String sampled,
      boolean debug) {
    if ((tid.length() != 16 && tid.length() != 32) || sid.length() != 16) {
      return null;
    }
    long hi = tid.length() == 32 ? hex(tid, 0, 16) : 0;
    long lo = hex(tid, tid.length() - 16, tid.length());
    long span = hex(sid, 0, 16);
    long parent = pid != null && pid.length() == 16 ? hex(pid, 0, 16) : 0;
    if (hi == -1 || lo == -1 || span == -1 || parent == -1 || (hi == 0 && lo == 0) || span == 0) {
      return null;
    }
    Boolean s = sampled == null ? null : (sampled.equals("1") || sampled.equalsIgnoreCase("true"));
    return new TraceContext(hi, lo, span, parent, debug ? Boolean.TRUE : s, debug);
  }

  /** {@code b3: {traceid}-{spanid}[-{sampled}[-{parentspanid}]]} (a lone {@code 0} only says "not sampled"). */
  private static @Nullable TraceContext single(String v) {
    String[] p = v.trim().split("-");
    if (p.length < 2) {
      return null;
    }
    String sampled = p.length > 2 ? p[2] : null;
    boolean debug = "d".equals(sampled);
    return b3(p[0], p[1], p.length > 3 ? p[3] : null, debug ? "1" : sampled, debug);
  }

  /** {@code traceparent: 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}. */
  private static @Nullable TraceContext traceparent(String v) {
    String t = v.trim();
    if (t.length() < 55 || t.charAt(2) != '-' || t.charAt(35) != '-' || t.charAt(52) != '-' || t.startsWith("ff")) {
      return null;
    }
    long hi = hex(t, 3, 19);
    long lo = hex(t, 19, 35);
    long span = hex(t, 36, 52);
    long flags = hex(t, 53, 55);
    if (hi == -1 || lo == -1 || span == -1 || flags == -1 || (hi == 0 && lo == 0) || span == 0) {
      return null;
    }
    return new TraceContext(hi, lo, span, 0, (flags & 1) == 1, false);
  }

  /** Parses lower or upper hex; -1 when not hex (an all-ones id is not valid anyway). */
  private static long hex(String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** A non-zero random id. */
  public static long newId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return id;
  }

  /** A child of {@code parent} (or a new root when {@code parent == null}) with the given decision. */
  public static TraceContext child(@Nullable TraceContext parent, boolean sampled) {
    if (parent == null) {
      return new TraceContext(newId(), newId(), newId(), 0, sampled, false);
    }
    return new TraceContext(parent.traceIdHigh, parent.traceIdLow, newId(), parent.spanId, sampled, parent.debug);
  }

  /** The trace id as 32 (or, for a 64-bit id, 16) lower-hex characters. */
  public String traceIdHex() {
    return traceIdHigh == 0 ? hex16(traceIdLow) : hex16(traceIdHigh) + hex16(traceIdLow);
  }

  /** A 64-bit id as 16 lower-hex characters. */
  public static String hex16(long v) {
    String s = Long.toHexString(v);
    return s.length() == 16 ? s : "0".repeat(16 - s.length()) + s;
  }

  /**
   * Writes this context for the next hop: B3 multi-header, single {@code b3} when the request
   * used it, and {@code traceparent} (a 64-bit trace id is left-padded); {@code tracestate}
   * passes through untouched.
   */
  public void inject(HttpHeaders h) {
    boolean s = Boolean.TRUE.equals(sampled);
    String tid = traceIdHex();
    String sid = hex16(spanId);
    h.set("x-b3-traceid", tid);
    h.set("x-b3-spanid", sid);
    if (parentId != 0) {
      h.set("x-b3-parentspanid", hex16(parentId));
    } else {
      h.remove("x-b3-parentspanid");
    }
    h.set("x-b3-sampled", s ? "1" : "0");
    if (h.contains("b3")) {
      h.set("b3", tid + "-" + sid + "-" + (debug ? "d" : s ? "1" : "0") + (parentId != 0 ? "-" + hex16(parentId) : ""));
    }
    String tid32 = traceIdHigh == 0 ? "0000000000000000" + tid : tid;
    h.set("traceparent", "00-" + tid32 + "-" + sid + "-" + (s ? "01" : "00"));
  }
}
