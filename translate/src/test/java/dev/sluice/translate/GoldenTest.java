package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.testing.ConformanceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden-file translation tests: each folder under {@code src/test/resources/golden} holds an
 * {@code input.yaml} and the expected LDS, RDS, CDS and EDS as sorted YAML. A mismatch fails with
 * a unified diff; {@code -Dgolden.update=true} rewrites the expected files (review the diff).
 */
class GoldenTest {
  static final boolean UPDATE = Boolean.getBoolean("golden.update");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> s = Files.list(Golden.ROOT)) {
      return s.filter(p -> Files.exists(p.resolve("input.yaml"))).map(p -> p.getFileName().toString()).sorted()
          .toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void translationMatchesGoldenFiles(String name) throws IOException {
    Path dir = Golden.ROOT.resolve(name);
    Golden.Case c = Golden.load(dir);
    assertThat(c.rejected()).as("rejected config").isEmpty();
    ProxyResources r = XdsTranslator.translate(c.snapshot(), c.proxy());
    StringBuilder failures = new StringBuilder();
    check(dir, "lds", Golden.render(r.listeners()), failures);
    check(dir, "rds", Golden.render(r.routes()), failures);
    check(dir, "cds", Golden.render(r.clusters()), failures);
    check(dir, "eds", Golden.render(r.endpoints()), failures);
    if (!failures.isEmpty()) {
      fail("golden mismatch for " + name + " (regenerate with -Dgolden.update=true and review):\n" + failures);
    }
  }

  private static void check(Path dir, String type, String actual, StringBuilder failures) throws IOException {
    Path file = dir.resolve("expected-" + type + ".yaml");
    if (UPDATE) {
      Files.writeString(file, actual);
      return;
    }
    String expected = Files.exists(file) ? Files.readString(file) : "";
    if (!expected.equals(actual)) {
      failures.append(Golden.diff(file.toString(), expected, "actual", actual));
    }
  }

  /** Every upstream routing file has a golden case. */
  @org.junit.jupiter.api.Test
  void everyBookinfoNetworkingFileIsCovered() throws IOException {
    Path net = ConformanceFiles.root().resolve("istio-samples/bookinfo/networking");
    String all;
    try (Stream<Path> s = Files.list(Golden.ROOT)) {
      all = String.join("\n", s.map(p -> p.resolve("input.yaml")).filter(Files::exists).map(p -> {
        try {
          return Files.readString(p);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList());
    }
    List<String> missing;
    try (Stream<Path> s = Files.list(net)) {
      missing = s.map(p -> p.getFileName().toString()).filter(f -> !all.contains("networking/" + f)).sorted().toList();
    }
    assertThat(missing).as("bookinfo/networking files without a golden case").isEmpty();
  }
}
