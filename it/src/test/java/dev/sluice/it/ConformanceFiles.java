package dev.sluice.it;

import java.nio.file.Path;

/**
 * Istio's upstream files (used unmodified) for the tasks, found through the shared
 * {@link dev.sluice.testing.ConformanceFiles} (skip or, in CI, fail when absent).
 */
final class ConformanceFiles {
  private ConformanceFiles() {}

  static Path root() {
    return dev.sluice.testing.ConformanceFiles.root();
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
