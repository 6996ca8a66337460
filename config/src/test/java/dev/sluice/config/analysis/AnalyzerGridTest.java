package dev.sluice.config.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigSources;
import dev.sluice.testing.ConformanceFiles;
import dev.sluice.config.LoadResult;
import dev.sluice.config.analysis.analyzers.Analyzers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Istio's analyzer test grid (the traffic-management cases of {@code analyzers_test.go}), run as
 * Istio's harness runs them: only the row's analyzer, harness mode, the case's mesh config; the
 * (code, resource) pairs must equal the expected multiset.
 */
class AnalyzerGridTest {
  private static final AtomicInteger CASES = new AtomicInteger();
  private static final AtomicInteger PASSED = new AtomicInteger();
  private static final List<String> FAILED = java.util.Collections.synchronizedList(new ArrayList<>());

  /** One case of expected_full.tsv. */
  record Case(String name, List<String> files, String meshConfig, String analyzer, List<String> expected) {}

  static List<Case> cases(Path dir) throws IOException {
    Map<String, Case> byName = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(dir.resolve("expected_full.tsv"));
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      Case c = byName.computeIfAbsent(f[0], n -> new Case(n,
          Arrays.stream(f[1].split(",")).map(String::trim).toList(), f[2], f[3], new ArrayList<>()));
      if (!f[6].equals("NONE")) {
        c.expected().add(f[6] + " " + f[9]);
      }
    }
    return List.copyOf(byName.values());
  }

  @TestFactory
  Stream<DynamicTest> grid() throws IOException {
    Path dir = ConformanceFiles.root().resolve("istio-analyzers");
    List<Case> cases = cases(dir);
    assertThat(cases).hasSize(66);
    assertThat(cases.stream().mapToInt(c -> c.expected().size()).sum()).isEqualTo(130);
    assertThat(cases.stream().filter(c -> c.expected().isEmpty()).count()).isEqualTo(18);
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(dir, c)));
  }

  private static void run(Path dir, Case c) throws IOException {
    CASES.incrementAndGet();
    LoadResult loaded = new ConfigSources().load(c.files().stream().map(f -> dir.resolve(f).toString()).toList(),
        false, new ByteArrayInputStream(new byte[0]));
    assertThat(loaded.problems()).as("load problems").isEmpty();
    MeshConfig mesh = c.meshConfig().equals("-") ? MeshConfig.defaults()
        : MeshConfig.parse(Files.readString(dir.resolve(c.meshConfig())));
    Analyzer analyzer = Analyzers.byName(c.analyzer()).orElseThrow(() -> new AssertionError("no " + c.analyzer()));
    List<AnalysisMessage> found = Analysis.analyze(
        AnalysisInput.harness(loaded.resources(), List.of(analyzer)).withMeshConfig(mesh));
    if (System.getenv("GRID_PRINT") != null) {
      found.forEach(m -> System.out.println(c.name() + " | " + m.logLine()));
    }
    List<String> actual = found.stream().map(m -> m.type().code() + " " + m.resource()).toList();
    try {
      assertThat(actual).as(found.stream().map(AnalysisMessage::logLine).toList().toString())
          .containsExactlyInAnyOrderElementsOf(c.expected());
      PASSED.incrementAndGet();
    } catch (AssertionError e) {
      FAILED.add(c.name());
      throw e;
    }
  }

  @AfterAll
  static void score() {
    if (CASES.get() > 0) {
      System.out.println("analyzer grid: " + PASSED.get() + "/" + CASES.get() + " cases pass"
          + (FAILED.isEmpty() ? "" : "; failing: " + FAILED));
    }
  }
}
