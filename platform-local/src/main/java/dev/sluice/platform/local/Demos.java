package dev.sluice.platform.local;

import java.util.ArrayList;
import java.util.List;

/**
 * The manifests of {@code sluice up --demo NAME}: unchanged copies of the upstream samples (with
 * their attribution line), shipped in this module so that a clone without {@code ../shared} has
 * them. Like Istio's doc tests ({@code startup_bookinfo_sample}), a demo is the app, its gateway and
 * its destination rules.
 */
public final class Demos {
  private Demos() {}

  /** The demos: {@code bookinfo}, {@code helloworld}, {@code tutorial}, {@code httpbin}. */
  public static List<String> names() {
    return List.of("bookinfo", "helloworld", "tutorial", "httpbin");
  }

  /** The demo's manifests as one YAML stream. */
  public static String yaml(String demo) {
    if (!names().contains(demo)) {
      throw new IllegalArgumentException("demo: " + demo + " (expected: one of " + String.join(", ", names()) + ")");
    }
    List<String> docs = new ArrayList<>();
    for (String file : LocalPlatform.resource("demos/" + demo + "/index.txt").strip().split("\n")) {
      docs.add(LocalPlatform.resource("demos/" + demo + "/" + file.strip()));
    }
    return String.join("\n---\n", docs);
  }

  /** The path to open in a browser once the demo runs ({@code /productpage} for Bookinfo). */
  public static String path(String demo) {
    return switch (demo) {
      case "bookinfo" -> "/productpage";
      case "helloworld" -> "/hello";
      case "tutorial" -> "/customer";
      case "httpbin" -> "/headers";
      default -> "/";
    };
  }
}
