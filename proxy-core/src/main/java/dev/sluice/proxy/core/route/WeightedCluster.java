package dev.sluice.proxy.core.route;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** One cluster of a weighted split, with its own header changes and host rewrite. */
public record WeightedCluster(
    String name,
    int weight,
    HeaderMutation requestHeaders,
    HeaderMutation responseHeaders,
    @Nullable String hostRewrite) {

  public WeightedCluster {
    requireNonNull(name, "name");
    requireNonNull(requestHeaders, "requestHeaders");
    requireNonNull(responseHeaders, "responseHeaders");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: \"\" (expected: a cluster name)");
    }
    if (weight < 0) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
    }
  }

  /** A plain weighted cluster. */
  public static WeightedCluster of(String name, int weight) {
    return new WeightedCluster(name, weight, HeaderMutation.NONE, HeaderMutation.NONE, null);
  }
}
