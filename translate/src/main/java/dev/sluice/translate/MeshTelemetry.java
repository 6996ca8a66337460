package dev.sluice.translate;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The mesh-wide telemetry settings translation applies, read from Istio's {@code MeshConfig} (the
 * {@code mesh} key of the {@code istio} ConfigMap, or the bare mesh YAML):
 *
 * <pre>{@code
 * accessLogFile: /dev/stdout          # access logs off when absent (Istio's default)
 * accessLogEncoding: TEXT             # or JSON
 * accessLogFormat: ""                 # a custom format; Istio's default text/JSON format otherwise
 * enableTracing: true
 * defaultConfig:
 *   tracing:
 *     sampling: 1.0                   # percent; 1 % by default (istiod's PILOT_TRACE_SAMPLING)
 *     zipkin: {address: zipkin.istio-system:9411}
 * extensionProviders:
 * - name: zipkin
 *   zipkin: {service: zipkin.istio-system.svc.cluster.local, port: 9411}
 * - name: otel
 *   opentelemetry: {service: otel-collector.observability.svc.cluster.local, port: 4317}
 * defaultProviders:
 *   tracing: [zipkin]
 * }</pre>
 *
 * <p>A collector is a mesh host (a Service or ServiceEntry): its spans go to the cluster {@code
 * outbound|<port>||<host>}, as istiod configures extension providers.
 *
 * @param enabled whether the proxies get Istio's telemetry filters at all ({@code istio.stats},
 *     {@code istio.metadata_exchange}, {@code tracing}); off is Istio's {@code
 *     values.telemetry.enabled=false}, used to measure telemetry's cost
 * @param samplingPercent the HCM's {@code random_sampling}, 0..100
 * @param tracer where spans go; {@code null}: propagated and sampled, not exported
 * @param accessLogFile where access logs go; {@code null}: none
 * @param accessLogJson {@code accessLogEncoding: JSON}
 * @param accessLogFormat a custom format; {@code null}: Istio's default
 * @param proxyStdoutDir where each proxy's standard output is, when the proxies share one process
 *     (the local platform): a {@code /dev/stdout} access log goes to {@code
 *     <dir>/<namespace>/<workload>.log} instead, the file {@code sluice logs POD -c istio-proxy}
 *     reads. Not a mesh config key; {@code null} elsewhere
 */
public record MeshTelemetry(boolean enabled, double samplingPercent, @Nullable Tracer tracer,
    @Nullable String accessLogFile, boolean accessLogJson, @Nullable String accessLogFormat,
    @Nullable String proxyStdoutDir) {

  /** Istio's defaults: telemetry on, 1 % sampling, no exporter, no access logs. */
  public static final MeshTelemetry DEFAULT = new MeshTelemetry(true, 1.0, null, null, false, null, null);

  /**
   * Istio's demo profile: access logs to stdout in Istio's text format, every request traced, spans
   * to Zipkin at {@code zipkin.istio-system:9411} (dropped quietly while no collector is there).
   */
  public static final MeshTelemetry DEMO = new MeshTelemetry(true, 100.0,
      new Tracer(Tracer.Kind.ZIPKIN, "zipkin.istio-system.svc.cluster.local", 9411, "/api/v2/spans"), "/dev/stdout",
      false, null, null);

  private static volatile MeshTelemetry inUse = DEFAULT;

  public MeshTelemetry {
    if (!(samplingPercent >= 0 && samplingPercent <= 100)) {
      throw new IllegalArgumentException(
          "defaultConfig.tracing.sampling: " + samplingPercent + " (expected: a percentage 0..100)");
    }
    if (accessLogFile != null && accessLogFile.isEmpty()) {
      accessLogFile = null;
    }
    if (accessLogFormat != null && accessLogFormat.isEmpty()) {
      accessLogFormat = null;
    }
  }

  /**
   * A tracing extension provider.
   *
   * @param kind Zipkin (JSON v2 over HTTP) or OpenTelemetry (OTLP over gRPC, or HTTP when {@code
   *     httpPath} is set)
   * @param service the collector's mesh host
   * @param port its port
   * @param httpPath Zipkin's collector path ({@code /api/v2/spans}) or OTLP/HTTP's ({@code
   *     /v1/traces}); {@code null} for OTLP/gRPC
   */
  public record Tracer(Kind kind, String service, int port, @Nullable String httpPath) {
    /** Envoy's tracer extensions. */
    public enum Kind {
      ZIPKIN,
      OPENTELEMETRY
    }

    public Tracer {
      requireNonNull(kind, "kind");
      requireNonNull(service, "service");
      if (service.isEmpty()) {
        throw new IllegalArgumentException("service: \"\" (expected: the collector's host)");
      }
      if (port <= 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
      }
    }

    /** istiod's collector cluster: {@code outbound|<port>||<service>}. */
    public String cluster() {
      return Names.outbound(port, "", service);
    }
  }

  /** These settings with telemetry switched on or off. */
  public MeshTelemetry withEnabled(boolean on) {
    return new MeshTelemetry(on, samplingPercent, tracer, accessLogFile, accessLogJson, accessLogFormat, proxyStdoutDir);
  }

  /** These settings with another sampling percentage. */
  public MeshTelemetry withSampling(double percent) {
    return new MeshTelemetry(enabled, percent, tracer, accessLogFile, accessLogJson, accessLogFormat, proxyStdoutDir);
  }

  /** These settings with access logs to {@code file} ({@code null}: off). */
  public MeshTelemetry withAccessLog(@Nullable String file, boolean json) {
    return new MeshTelemetry(enabled, samplingPercent, tracer, file, json, accessLogFormat, proxyStdoutDir);
  }

  /** These settings with each proxy's stdout in its own file under {@code dir} (see {@link #proxyStdoutDir}). */
  public MeshTelemetry withProxyStdoutDir(@Nullable String dir) {
    return new MeshTelemetry(enabled, samplingPercent, tracer, accessLogFile, accessLogJson, accessLogFormat, dir);
  }

  /** The file a proxy's stdout goes to, under {@link #proxyStdoutDir}. */
  public static String proxyStdoutFile(String dir, String namespace, String workload) {
    return dir + "/" + namespace + "/" + workload + ".log";
  }

  /** Where {@code node}'s access log goes, or {@code null} for none. */
  @Nullable String accessLogPath(ProxyNode node) {
    if (accessLogFile != null && accessLogFile.equals("/dev/stdout") && proxyStdoutDir != null
        && !node.workload().isEmpty()) {
      return proxyStdoutFile(proxyStdoutDir, node.namespace(), node.workload());
    }
    return accessLogFile;
  }

  /** These settings with another tracer. */
  public MeshTelemetry withTracer(@Nullable Tracer t) {
    return new MeshTelemetry(enabled, samplingPercent, t, accessLogFile, accessLogJson, accessLogFormat, proxyStdoutDir);
  }

  /**
   * The settings every translation in this process uses. istiod reads its mesh config once per
   * process too; the control plane sets this before it translates anything.
   */
  public static MeshTelemetry inUse() {
    return inUse;
  }

  /** Sets {@link #inUse()} (sluiced at start, before the first push). */
  public static void use(MeshTelemetry settings) {
    inUse = requireNonNull(settings, "settings");
  }

  /**
   * Reads the telemetry part of a mesh config (its YAML read as a tree): the MeshConfig itself, or
   * an {@code istio} ConfigMap whose {@code data.mesh} holds it ({@code meshText} parses that
   * string). Keys not about telemetry are ignored.
   *
   * @throws IllegalArgumentException naming the field, on a value of the wrong type or range
   */
  public static MeshTelemetry parse(@Nullable JsonNode root, java.util.function.Function<String, JsonNode> meshText) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      return DEFAULT;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("mesh config: " + root.getNodeType() + " (expected: a MeshConfig mapping)");
    }
    if (root.path("kind").asText().equals("ConfigMap")) {
      JsonNode mesh = root.path("data").path("mesh");
      return mesh.isTextual() ? parse(meshText.apply(mesh.asText()), meshText) : DEFAULT;
    }
    boolean tracing = bool(root, "enableTracing", true);
    JsonNode t = root.path("defaultConfig").path("tracing");
    double sampling = 1.0;
    if (t.has("sampling")) {
      if (!t.get("sampling").isNumber()) {
        throw new IllegalArgumentException("defaultConfig.tracing.sampling: " + t.get("sampling")
            + " (expected: a percentage 0..100)");
      }
      sampling = t.get("sampling").asDouble();
    }
    Tracer tracer = null;
    if (t.path("zipkin").has("address")) {
      tracer = zipkinAddress(text(t.path("zipkin"), "address", "defaultConfig.tracing.zipkin.address"));
    }
    JsonNode defaults = root.path("defaultProviders").path("tracing");
    if (defaults.isArray() && !defaults.isEmpty()) {
      tracer = provider(root.path("extensionProviders"), defaults.get(0).asText());
    }
    String encoding = root.path("accessLogEncoding").asText("TEXT").toUpperCase(Locale.ROOT);
    if (!encoding.equals("TEXT") && !encoding.equals("JSON")) {
      throw new IllegalArgumentException("accessLogEncoding: " + encoding + " (expected: TEXT or JSON)");
    }
    MeshTelemetry m = new MeshTelemetry(true, sampling, tracing ? tracer : null,
        root.path("accessLogFile").asText(""), encoding.equals("JSON"), root.path("accessLogFormat").asText(""), null);
    return tracing ? m : m.withSampling(0);
  }

  private static Tracer provider(JsonNode providers, String name) {
    for (JsonNode p : providers) {
      if (!p.path("name").asText().equals(name)) {
        continue;
      }
      String at = "extensionProviders[" + name + "]";
      if (p.has("zipkin")) {
        JsonNode z = p.get("zipkin");
        String path = z.path("path").asText("");
        return new Tracer(Tracer.Kind.ZIPKIN, text(z, "service", at + ".zipkin.service"),
            port(z, at + ".zipkin.port"), path.isEmpty() ? "/api/v2/spans" : path);
      }
      if (p.has("opentelemetry")) {
        JsonNode o = p.get("opentelemetry");
        String path = o.path("http").isObject() ? o.path("http").path("path").asText("/v1/traces") : null;
        return new Tracer(Tracer.Kind.OPENTELEMETRY, text(o, "service", at + ".opentelemetry.service"),
            port(o, at + ".opentelemetry.port"), path);
      }
      throw new IllegalArgumentException(at + ": " + p.fieldNames().next()
          + " (expected: a zipkin or opentelemetry provider for defaultProviders.tracing)");
    }
    throw new IllegalArgumentException("defaultProviders.tracing: " + name
        + " (expected: the name of one of extensionProviders)");
  }

  /** {@code zipkin.istio-system:9411}: a short Kubernetes name gets the cluster domain. */
  static Tracer zipkinAddress(String address) {
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? address : address.substring(0, colon);
    int port;
    try {
      port = colon < 0 ? 9411 : Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("defaultConfig.tracing.zipkin.address: " + address
          + " (expected: host:port)", e);
    }
    if (host.chars().filter(c -> c == '.').count() == 1) {
      host = host + ".svc.cluster.local";
    }
    return new Tracer(Tracer.Kind.ZIPKIN, host, port, "/api/v2/spans");
  }

  private static boolean bool(JsonNode n, String field, boolean dflt) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(field + ": " + v + " (expected: true or false)");
    }
    return v.asBoolean();
  }

  private static String text(JsonNode n, String field, String at) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new IllegalArgumentException(at + ": " + v + " (expected: a host name)");
    }
    return v.asText();
  }

  private static int port(JsonNode n, String at) {
    JsonNode v = n.get("port");
    if (v == null || !v.canConvertToInt() || v.asInt() <= 0 || v.asInt() > 65535) {
      throw new IllegalArgumentException(at + ": " + v + " (expected: 1..65535)");
    }
    return v.asInt();
  }
}
