package dev.sluice.dashboard;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the real programs a test drives (Debian's prometheus, chromium, chromedriver; installed by
 * {@code scripts/install-test-deps.sh}). Without one the test skips with a visible message, except
 * when {@code SLUICE_REQUIRE_CONFORMANCE} is set (as CI does), where it fails.
 */
final class ExternalTools {
  private ExternalTools() {}

  static Path require(String what, String... candidates) {
    for (String c : candidates) {
      Path p = Path.of(c);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String msg = "SKIPPED conformance suite: " + what + " not found at " + String.join(" or ", candidates)
        + " (install with scripts/install-test-deps.sh)";
    if (System.getenv("SLUICE_REQUIRE_CONFORMANCE") != null) {
      fail(msg);
    }
    System.err.println(msg);
    assumeTrue(false, msg);
    throw new AssertionError("unreachable");
  }

  /** A port free right now (for programs that cannot report the port they bound). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
