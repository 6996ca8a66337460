package dev.sluice.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The real programs the telemetry tests drive where a user would: Debian's {@code prometheus},
 * {@code chromium} and {@code chromedriver} (scripts/install-test-deps.sh), and Zipkin's exec jar
 * (copied from Maven Central by this module's build into {@code target/zipkin}). A missing one
 * makes its test skip with a visible message, or fail when {@code SLUICE_REQUIRE_CONFORMANCE} is
 * set (CI).
 */
final class ExternalPrograms {
  private ExternalPrograms() {}

  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** Skips (or, in CI, fails) the calling test when {@code program} did not start. */
  static void require(@Nullable Object program, String what) {
    if (program != null) {
      return;
    }
    String msg = "SKIPPED conformance suite: " + what + " is not installed (scripts/install-test-deps.sh; the "
        + "Zipkin jar comes with `./mvnw verify -pl it`)";
    if (System.getenv("SLUICE_REQUIRE_CONFORMANCE") != null) {
      fail(msg);
    }
    System.err.println(msg);
    assumeTrue(false, msg);
  }

  /** Whether an executable exists; prints why not. */
  static boolean present(Path p) {
    if (Files.isExecutable(p)) {
      return true;
    }
    System.err.println("telemetry tests: " + p + " not found");
    return false;
  }

  /**
   * Starts the Zipkin server (JDK 25's java, in-memory storage) on a free port, written to {@code
   * dir/zipkin.port}; null when the jar is absent. Not waited for: it takes seconds to start.
   */
  static @Nullable Process startZipkin(Path dir) throws IOException {
    String jar = System.getProperty("zipkin.jar", "target/zipkin/zipkin-server.jar");
    if (!Files.isRegularFile(Path.of(jar))) {
      System.err.println("telemetry tests: " + jar + " not found");
      return null;
    }
    int port = freePort();
    Files.writeString(dir.resolve("zipkin.port"), Integer.toString(port));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar)
        .redirectErrorStream(true).redirectOutput(dir.resolve("zipkin.log").toFile());
    pb.environment().put("QUERY_PORT", Integer.toString(port));
    pb.environment().put("STORAGE_TYPE", "mem");
    return pb.start();
  }

  /**
   * Starts Debian's Prometheus on a free port (URL in {@code dir/prometheus.url}), scraping every
   * second what {@code sdUrl} lists ({@code http_sd_configs}); null when it is not installed.
   */
  static @Nullable Process startPrometheus(Path dir, String sdUrl) throws IOException {
    if (!present(PROMETHEUS)) {
      return null;
    }
    int port = freePort();
    Path config = dir.resolve("prometheus.yml");
    //language=YAML
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: sluice-mesh
            http_sd_configs:
              - url: %s
                refresh_interval: 1s
        """.formatted(sdUrl));
    Files.writeString(dir.resolve("prometheus.url"), "http://127.0.0.1:" + port);
    return new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"), "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn").redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
  }

  /** Stops a program it started (by its handle), waiting a bounded time. */
  static void stop(@Nullable Process p) throws InterruptedException {
    if (p == null) {
      return;
    }
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
