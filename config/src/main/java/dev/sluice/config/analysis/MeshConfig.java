package dev.sluice.config.analysis;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.config.Immutables;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of Istio's {@code MeshConfig} that the analyzers read, with Istio's defaults.
 *
 * @param rootNamespace where mesh-wide policies live ({@code istio-system})
 * @param ingressService the name of the ingress gateway Service ({@code istio-ingressgateway})
 * @param ingressSelector the value of the {@code istio} label of ingress gateway pods ({@code ingressgateway})
 * @param ingressControllerMode {@code STRICT}, {@code DEFAULT} or {@code OFF} (no default ingress resources)
 * @param proxyMetadata {@code defaultConfig.proxyMetadata} (for example {@code ISTIO_META_DNS_CAPTURE})
 */
public record MeshConfig(String rootNamespace, String ingressService, String ingressSelector,
    String ingressControllerMode, Map<String, String> proxyMetadata) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public MeshConfig {
    requireNonNull(rootNamespace, "rootNamespace");
    requireNonNull(ingressService, "ingressService");
    requireNonNull(ingressSelector, "ingressSelector");
    requireNonNull(ingressControllerMode, "ingressControllerMode");
    proxyMetadata = Immutables.map(proxyMetadata);
  }

  /** Istio's default mesh configuration. */
  public static MeshConfig defaults() {
    return new MeshConfig("istio-system", "istio-ingressgateway", "ingressgateway", "STRICT", Map.of());
  }

  /**
   * Reads a mesh configuration file (the {@code --meshConfigFile} of istioctl: a {@code MeshConfig}
   * as YAML); fields it does not set keep Istio's defaults.
   *
   * @throws IllegalArgumentException if the text is not a YAML map
   */
  public static MeshConfig parse(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException("mesh config: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return defaults();
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("mesh config: expected a map, found " + root.getNodeType());
    }
    MeshConfig d = defaults();
    Map<String, String> metadata = new LinkedHashMap<>();
    root.path("defaultConfig").path("proxyMetadata").properties()
        .forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
    return new MeshConfig(
        text(root, "rootNamespace", d.rootNamespace()),
        text(root, "ingressService", d.ingressService()),
        text(root, "ingressSelector", d.ingressSelector()),
        text(root, "ingressControllerMode", d.ingressControllerMode()),
        metadata);
  }

  /** Whether a proxy metadata variable is set to {@code "true"}. */
  public boolean proxyMetadataEnabled(String name) {
    return "true".equals(proxyMetadata.get(name));
  }

  private static String text(JsonNode root, String field, String fallback) {
    JsonNode v = root.path(field);
    return v.isValueNode() && !v.asText().isEmpty() ? v.asText() : fallback;
  }
}
