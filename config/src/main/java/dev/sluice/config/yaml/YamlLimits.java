package dev.sluice.config.yaml;

/**
 * Bounds that keep hostile YAML (alias bombs, deep nesting, huge documents) from exhausting memory
 * or time. The defaults are far above any real Istio or Kubernetes object (etcd caps an object at
 * 1.5 MiB) and far below what would hurt the process.
 *
 * @param maxDocumentChars largest single document, in characters
 * @param maxStreamChars largest input (all documents together), in characters
 * @param maxDepth deepest nesting of maps and lists
 * @param maxAliasNodes most nodes that alias expansion may add to one document
 */
public record YamlLimits(int maxDocumentChars, long maxStreamChars, int maxDepth, int maxAliasNodes) {
  public static final YamlLimits DEFAULT = new YamlLimits(3 * 1024 * 1024, 256L * 1024 * 1024, 64, 10_000);

  public YamlLimits {
    if (maxDocumentChars <= 0 || maxStreamChars <= 0 || maxDepth <= 0 || maxAliasNodes < 0) {
      throw new IllegalArgumentException("YAML limits must be positive: " + maxDocumentChars + ", "
          + maxStreamChars + ", " + maxDepth + ", " + maxAliasNodes);
    }
  }
}
