package dev.sluice.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code ../shared/conformance} (Istio's upstream files, used unmodified). Without it the
 * tasks skip with a visible message, except when {@code SLUICE_REQUIRE_CONFORMANCE} is set (as CI
 * does), where a missing directory fails them instead.
 */
final class ConformanceFiles {
  private ConformanceFiles() {}

  static Path root() {
    Path root = Path.of(System.getProperty("sluice.root", ".")).toAbsolutePath().normalize();
    Path dir = root.resolveSibling("shared").resolve("conformance");
    if (!Files.isDirectory(dir)) {
      String msg = "SKIPPED Istio tasks: " + dir + " not found (it ships beside the project as ../shared)";
      if (System.getenv("SLUICE_REQUIRE_CONFORMANCE") != null) {
        fail(msg);
      }
      System.err.println(msg);
      assumeTrue(false, msg);
    }
    return dir;
  }

  static Path bookinfo(String file) {
    return root().resolve("istio-samples/bookinfo/" + file);
  }

  static Path samples(String file) {
    return root().resolve("istio-samples/" + file);
  }

  static Path tutorial(String file) {
    return root().resolve("istio-tutorial/" + file);
  }
}
