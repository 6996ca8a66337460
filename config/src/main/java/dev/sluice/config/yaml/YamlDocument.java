package dev.sluice.config.yaml;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.Origin;
import java.util.Map;

/**
 * One YAML document with the line of each field it holds.
 *
 * @param tree the document as a Jackson tree (never null; an empty document is a {@code NullNode})
 * @param origin file and line where the document's top-level value starts
 * @param index 0-based position of the document in its stream
 * @param lines field path (as {@code spec.http[0].route[0].destination.host}) to its 1-based line
 */
public record YamlDocument(JsonNode tree, Origin origin, int index, Map<String, Integer> lines) {
  public YamlDocument {
    requireNonNull(tree, "tree");
    requireNonNull(origin, "origin");
    lines = Map.copyOf(lines);
  }

  /** The origin of a field path, falling back to the closest enclosing path, then the document. */
  public Origin originOf(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer line = lines.get(p);
      if (line != null) {
        return new Origin(origin.file(), line);
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return origin;
  }
}
