package dev.sluice.proxy.internal.telemetry;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One finished span, as recorded on the event loop and exported later: plain values, no
 * exporter types on the request path.
 *
 * @param parentId 0 for a root span
 * @param localIp the proxy's address seen by the peer, when known
 */
public record SpanData(
    long traceIdHigh,
    long traceIdLow,
    long id,
    long parentId,
    Kind kind,
    String name,
    long startMicros,
    long durationMicros,
    String localService,
    @Nullable String localIp,
    @Nullable String remoteIp,
    int remotePort,
    Map<String, String> tags) {

  /** Server (inbound) or client (outbound) span. */
  public enum Kind {
    SERVER,
    CLIENT
  }

  public SpanData {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    requireNonNull(localService, "localService");
    tags = Map.copyOf(tags);
  }

  /** The trace id as lower hex (16 or 32 characters). */
  public String traceIdHex() {
    return traceIdHigh == 0 ? TraceContext.hex16(traceIdLow)
        : TraceContext.hex16(traceIdHigh) + TraceContext.hex16(traceIdLow);
  }
}
