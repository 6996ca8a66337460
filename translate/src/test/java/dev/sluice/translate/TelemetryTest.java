package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.proxy.core.listener.AccessLog;
import dev.sluice.proxy.core.listener.HttpConnectionManager;
import dev.sluice.proxy.core.listener.TcpProxy;
import dev.sluice.proxy.core.telemetry.Reporter;
import dev.sluice.proxy.core.telemetry.TraceProvider;
import dev.sluice.proxy.core.xds.ListenerParser;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mesh config's telemetry settings, and what translation makes of them as the proxy reads it
 * back: the stats reporter per listener direction, the tracer, sampling and access logs.
 */
class TelemetryTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @AfterEach
  void restore() {
    MeshTelemetry.use(MeshTelemetry.DEFAULT);
  }

  static MeshTelemetry parse(String yaml) {
    return MeshTelemetry.parse(tree(yaml), TelemetryTest::tree);
  }

  static JsonNode tree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void defaultsAreIstios() {
    assertThat(parse("{}")).isEqualTo(MeshTelemetry.DEFAULT);
    assertThat(MeshTelemetry.DEFAULT.samplingPercent()).isEqualTo(1.0);
    assertThat(MeshTelemetry.DEFAULT.accessLogFile()).isNull();
  }

  @Test
  void readsExtensionProvidersAndAccessLogs() {
    //language=YAML
    MeshTelemetry m = parse("""
        accessLogFile: /dev/stdout
        accessLogEncoding: JSON
        defaultConfig:
          tracing:
            sampling: 100
        extensionProviders:
        - name: otel
          opentelemetry: {service: otel.observability.svc.cluster.local, port: 4317}
        - name: zipkin
          zipkin: {service: zipkin.istio-system.svc.cluster.local, port: 9411}
        defaultProviders:
          tracing: [zipkin]
        """);
    assertThat(m).isEqualTo(new MeshTelemetry(true, 100, new MeshTelemetry.Tracer(MeshTelemetry.Tracer.Kind.ZIPKIN,
        "zipkin.istio-system.svc.cluster.local", 9411, "/api/v2/spans"), "/dev/stdout", true, null, null));
    assertThat(m.tracer().cluster()).isEqualTo("outbound|9411||zipkin.istio-system.svc.cluster.local");
  }

  @Test
  void readsTheIstioConfigMapAndTheLegacyZipkinAddress() {
    //language=YAML
    MeshTelemetry m = parse("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |-
            defaultConfig:
              tracing:
                sampling: 10
                zipkin:
                  address: zipkin.istio-system:9411
        """);
    assertThat(m.samplingPercent()).isEqualTo(10);
    assertThat(m.tracer().cluster()).isEqualTo("outbound|9411||zipkin.istio-system.svc.cluster.local");
    assertThat(parse("enableTracing: false\ndefaultConfig: {tracing: {zipkin: {address: z.ns:9411}}}").tracer())
        .isNull();
  }

  @Test
  void badValuesNameTheField() {
    assertThatThrownBy(() -> parse("defaultConfig: {tracing: {sampling: 101}}"))
        .hasMessage("defaultConfig.tracing.sampling: 101.0 (expected: a percentage 0..100)");
    assertThatThrownBy(() -> parse("defaultConfig: {tracing: {sampling: lots}}"))
        .hasMessageStartingWith("defaultConfig.tracing.sampling: \"lots\"");
    assertThatThrownBy(() -> parse("accessLogEncoding: XML")).hasMessage(
        "accessLogEncoding: XML (expected: TEXT or JSON)");
    assertThatThrownBy(() -> parse("defaultProviders: {tracing: [nope]}")).hasMessage(
        "defaultProviders.tracing: nope (expected: the name of one of extensionProviders)");
    assertThatThrownBy(() -> parse("extensionProviders: [{name: z, zipkin: {service: z.ns.svc.cluster.local}}]\n"
        + "defaultProviders: {tracing: [z]}")).hasMessage("extensionProviders[z].zipkin.port: null (expected: 1..65535)");
  }

  /** Bookinfo's reviews sidecar with explicit capture, as on the local platform. */
  private static List<Listener> sidecarListeners() throws java.io.IOException {
    Golden.Case c = Golden.load(Golden.ROOT.resolve("local-platform-sidecar"));
    return XdsTranslator.translate(c.snapshot(), c.proxy()).listeners();
  }

  @Test
  void theProxyReadsSourceOutboundAndDestinationInbound() throws Exception {
    Map<String, Reporter> reporters = new java.util.TreeMap<>();
    for (Listener l : sidecarListeners()) {
      var parsed = ListenerParser.parse(l);
      if (parsed.filter() instanceof HttpConnectionManager h) {
        assertThat(h.peerExchange()).isTrue();
        assertThat(h.tracing().randomSampling()).isEqualTo(dev.sluice.proxy.core.filter.Fraction.percent(1));
        assertThat(h.tracing().provider()).isNull();
        assertThat(h.accessLogs()).isEmpty();
        reporters.put(l.getName() + " " + parsed.direction(), h.stats().reporterFor(parsed.direction()));
      }
    }
    assertThat(reporters).containsValues(Reporter.SOURCE, Reporter.DESTINATION);
    reporters.forEach((k, r) -> assertThat(r).as(k).isEqualTo(k.endsWith("INBOUND") ? Reporter.DESTINATION
        : Reporter.SOURCE));
  }

  @Test
  void demoSettingsGiveFullSamplingAZipkinExporterAndAccessLogs() throws Exception {
    MeshTelemetry.use(MeshTelemetry.DEFAULT.withSampling(100).withAccessLog("/dev/stdout", false)
        .withTracer(MeshTelemetry.zipkinAddress("zipkin.istio-system:9411")));
    for (Listener l : sidecarListeners()) {
      if (ListenerParser.parse(l).filter() instanceof HttpConnectionManager h) {
        assertThat(h.tracing().randomSampling()).isEqualTo(dev.sluice.proxy.core.filter.Fraction.percent(100));
        assertThat(h.tracing().provider()).isEqualTo(new TraceProvider.Zipkin(
            "outbound|9411||zipkin.istio-system.svc.cluster.local", "/api/v2/spans",
            "zipkin.istio-system.svc.cluster.local"));
        assertThat(h.accessLogs()).extracting(AccessLog::path).containsExactly("/dev/stdout");
        assertThat(h.accessLogs().getFirst().textFormat()).isEqualTo(Telemetry.TEXT_FORMAT);
      }
    }
    MeshTelemetry.use(MeshTelemetry.DEFAULT.withAccessLog("/tmp/x.log", true));
    HttpConnectionManager h = sidecarListeners().stream().map(ListenerParser::parse)
        .map(p -> p.filter()).filter(HttpConnectionManager.class::isInstance).map(HttpConnectionManager.class::cast)
        .findFirst().orElseThrow();
    assertThat(h.accessLogs().getFirst().jsonFormat()).containsEntry("response_code", "%RESPONSE_CODE%")
        .hasSize(Telemetry.JSON_FORMAT.size());
  }

  @Test
  void anOpenTelemetryProviderIsOtlpOverGrpcOrHttp() throws Exception {
    //language=YAML
    String mesh = """
        extensionProviders:
        - name: otel
          opentelemetry: {service: otel.observability.svc.cluster.local, port: %d%s}
        defaultProviders: {tracing: [otel]}
        """;
    MeshTelemetry.use(parse(mesh.formatted(4317, "")));
    assertThat(firstHcm().tracing().provider()).isEqualTo(new TraceProvider.OpenTelemetry(
        "outbound|4317||otel.observability.svc.cluster.local", null, "unknown_service:sluice"));
    MeshTelemetry.use(parse(mesh.formatted(4318, ", http: {path: /v1/traces}")));
    assertThat(firstHcm().tracing().provider()).isEqualTo(new TraceProvider.OpenTelemetry(
        "outbound|4318||otel.observability.svc.cluster.local", "/v1/traces", "unknown_service:sluice"));
  }

  private static HttpConnectionManager firstHcm() throws Exception {
    return sidecarListeners().stream().map(ListenerParser::parse).map(p -> p.filter())
        .filter(HttpConnectionManager.class::isInstance).map(HttpConnectionManager.class::cast)
        .findFirst().orElseThrow();
  }

  @Test
  void onTheLocalPlatformEachProxysStdoutIsItsOwnFile() throws Exception {
    MeshTelemetry.use(MeshTelemetry.DEMO.withProxyStdoutDir("/tmp/proxies"));
    Golden.Case c = Golden.load(Golden.ROOT.resolve("local-platform-sidecar"));
    assertThat(firstHcm().accessLogs()).extracting(AccessLog::path)
        .containsExactly("/tmp/proxies/" + c.proxy().namespace() + "/" + c.proxy().workload() + ".log");
    MeshTelemetry.use(MeshTelemetry.DEMO.withAccessLog("/var/log/mesh.log", false).withProxyStdoutDir("/tmp/proxies"));
    assertThat(firstHcm().accessLogs()).extracting(AccessLog::path).containsExactly("/var/log/mesh.log");
  }

  @Test
  void switchedOffLeavesNoTelemetryFilters() throws Exception {
    MeshTelemetry.use(MeshTelemetry.DEFAULT.withEnabled(false));
    for (Listener l : sidecarListeners()) {
      var parsed = ListenerParser.parse(l);
      if (parsed.filter() instanceof HttpConnectionManager h) {
        assertThat(h.stats()).isNull();
        assertThat(h.peerExchange()).isFalse();
        assertThat(h.tracing()).isNull();
      }
      if (parsed.filter() instanceof TcpProxy t) {
        assertThat(t.stats()).isNull();
      }
    }
  }
}
