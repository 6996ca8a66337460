package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.ConformanceFiles;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every upstream Istio sample and istio-tutorial file loads without a problem. */
class SamplesLoadTest {
  static Stream<Path> files() {
    Path root = ConformanceFiles.root();
    return Stream.of("istio-samples", "istio-tutorial")
        .flatMap(d -> ConfigSources.filesIn(root.resolve(d), true).stream());
  }

  @ParameterizedTest
  @MethodSource("files")
  void loads(Path file) throws Exception {
    LoadResult r = new ConfigSources().load(List.of(file.toString()), false, new ByteArrayInputStream(new byte[0]));
    assertThat(r.problems()).as("problems in %s", file).isEmpty();
    assertThat(r.resources().size() + r.unknown().size()).as("objects in %s", file).isPositive();
    assertThat(Files.size(file)).isPositive();
  }
}
