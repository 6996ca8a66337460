package dev.sluice.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code ../shared/conformance} (Istio's upstream files) next to the project. Without it the
 * conformance suites skip with a visible message, except when {@code SLUICE_REQUIRE_CONFORMANCE}
 * is set (as CI does), where a missing directory fails the suite instead.
 */
public final class ConformanceFiles {
  private ConformanceFiles() {}

  /** The conformance directory, or skips/fails the calling test when it is absent. */
  public static Path root() {
    Path root = Path.of(System.getProperty("sluice.root", ".")).toAbsolutePath().normalize();
    Path dir = root.resolveSibling("shared").resolve("conformance");
    if (!Files.isDirectory(dir)) {
      String msg = "SKIPPED conformance suite: " + dir + " not found (it ships beside the project as ../shared)";
      if (System.getenv("SLUICE_REQUIRE_CONFORMANCE") != null) {
        fail(msg);
      }
      System.err.println(msg);
      assumeTrue(false, msg);
    }
    return dir;
  }
}
