package dev.sluice.proxy.internal.telemetry;

import com.google.protobuf.ByteString;
import dev.sluice.proxy.core.telemetry.TraceProvider;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * OTLP (Envoy's {@code envoy.tracers.opentelemetry}): an {@code ExportTraceServiceRequest} sent
 * over gRPC ({@code TraceService/Export}) or over HTTP (protobuf posted to the configured path,
 * usually {@code /v1/traces}). The OTLP protos come with the Envoy API jar, so no SDK is needed.
 */
final class OtlpExporter implements Tracer.SpanExporter {
  private final TraceProvider.OpenTelemetry config;
  private final Function<String, @Nullable InetSocketAddress> resolve;
  private @Nullable HttpClient http;
  private @Nullable ManagedChannel channel;
  private @Nullable InetSocketAddress channelAddress;

  OtlpExporter(TraceProvider.OpenTelemetry config, Function<String, @Nullable InetSocketAddress> resolve) {
    this.config = config;
    this.resolve = resolve;
  }

  @Override
  public void export(List<SpanData> spans) throws Exception {
    InetSocketAddress a = Tracer.address(resolve, config.cluster());
    ExportTraceServiceRequest req = request(config.serviceName(), spans);
    if (config.httpPath() != null) {
      if (http == null) {
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
      }
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
              URI.create("http://" + a.getHostString() + ":" + a.getPort() + config.httpPath()))
          .timeout(Duration.ofSeconds(5))
          .header("content-type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(req.toByteArray())).build(), HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("OTLP/HTTP " + r.statusCode());
      }
      return;
    }
    if (channel == null || !a.equals(channelAddress)) {
      close();
      channel = NettyChannelBuilder.forAddress(a.getHostString(), a.getPort()).usePlaintext().build();
      channelAddress = a;
    }
    TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).export(req);
  }

  static ExportTraceServiceRequest request(String serviceName, List<SpanData> spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("sluice-proxy"));
    for (SpanData s : spans) {
      Span.Builder b = Span.newBuilder()
          .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(s.traceIdHigh()).putLong(s.traceIdLow()).array()))
          .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(s.id()).array()))
          .setName(s.name())
          .setKind(s.kind() == SpanData.Kind.SERVER ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
          .setStartTimeUnixNano(s.startMicros() * 1000)
          .setEndTimeUnixNano((s.startMicros() + s.durationMicros()) * 1000);
      if (s.parentId() != 0) {
        b.setParentSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(s.parentId()).array()));
      }
      s.tags().forEach((k, v) -> b.addAttributes(kv(k, v)));
      if ("true".equals(s.tags().get("error"))) {
        b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
      }
      scope.addSpans(b);
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", serviceName)))
        .addScopeSpans(scope)).build();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
      channel = null;
      channelAddress = null;
    }
  }
}
