package dev.sluice.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.translate.MeshTelemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads istiod's mesh config file ({@code --meshConfig}, {@code /etc/istio/config/mesh}): a
 * MeshConfig YAML, or the {@code istio} ConfigMap holding one under {@code data.mesh}. Only the
 * telemetry keys are used (see {@link MeshTelemetry}).
 */
public final class MeshConfigFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private MeshConfigFile() {}

  /**
   * The telemetry settings of a mesh config file.
   *
   * @throws IllegalArgumentException naming the file and field, when it cannot be used
   */
  public static MeshTelemetry read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The telemetry settings of mesh config text. */
  public static MeshTelemetry parse(String yaml) {
    return MeshTelemetry.parse(tree(yaml), MeshConfigFile::tree);
  }

  private static JsonNode tree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException("mesh config: not YAML (" + e.getMessage() + ")", e);
    }
  }
}
