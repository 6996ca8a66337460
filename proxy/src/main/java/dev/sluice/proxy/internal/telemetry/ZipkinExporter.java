package dev.sluice.proxy.internal.telemetry;

import dev.sluice.proxy.core.telemetry.TraceProvider;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import zipkin2.Endpoint;
import zipkin2.Span;
import zipkin2.codec.SpanBytesEncoder;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Zipkin v2 JSON to {@code POST <collector_endpoint>} (Envoy's {@code envoy.tracers.zipkin} with
 * {@code HTTP_JSON}), with zipkin2's span model and encoder and zipkin-reporter's URLConnection
 * sender. One sender per resolved collector address.
 */
final class ZipkinExporter implements Tracer.SpanExporter {
  private final TraceProvider.Zipkin config;
  private final Function<String, @Nullable InetSocketAddress> resolve;
  private @Nullable URLConnectionSender sender;
  private @Nullable String senderUrl;

  ZipkinExporter(TraceProvider.Zipkin config, Function<String, @Nullable InetSocketAddress> resolve) {
    this.config = config;
    this.resolve = resolve;
  }

  @Override
  public void export(List<SpanData> spans) throws Exception {
    InetSocketAddress a = Tracer.address(resolve, config.collectorCluster());
    String url = "http://" + a.getHostString() + ":" + a.getPort() + config.collectorEndpoint();
    if (!url.equals(senderUrl)) {
      close();
      sender = URLConnectionSender.newBuilder().endpoint(url).encoding(Encoding.JSON)
          .compressionEnabled(false).connectTimeout(2000).readTimeout(5000).build();
      senderUrl = url;
    }
    List<byte[]> encoded = new ArrayList<>(spans.size());
    for (SpanData s : spans) {
      encoded.add(SpanBytesEncoder.JSON_V2.encode(toZipkin(s)));
    }
    sender.send(encoded);
  }

  static Span toZipkin(SpanData s) {
    Span.Builder b = Span.newBuilder()
        .traceId(s.traceIdHex())
        .id(s.id())
        .kind(s.kind() == SpanData.Kind.SERVER ? Span.Kind.SERVER : Span.Kind.CLIENT)
        .name(s.name())
        .timestamp(s.startMicros())
        .duration(Math.max(1, s.durationMicros()))
        .localEndpoint(Endpoint.newBuilder().serviceName(s.localService()).ip(s.localIp()).build());
    if (s.parentId() != 0) {
      b.parentId(s.parentId());
    }
    if (s.remoteIp() != null) {
      b.remoteEndpoint(Endpoint.newBuilder().ip(s.remoteIp()).port(s.remotePort()).build());
    }
    s.tags().forEach(b::putTag);
    return b.build();
  }

  @Override
  public void close() {
    if (sender != null) {
      sender.close();
      sender = null;
      senderUrl = null;
    }
  }
}
