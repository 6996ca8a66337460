package dev.sluice.config.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LoadResult;
import dev.sluice.config.ResourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of {@code ../shared/reference/validation.md}, each with a passing and a failing case,
 * read from {@code validation/rules.tsv} (one row per case).
 */
class ValidationRulesTest {
  private static final Map<String, String> TOKENS = Map.of(
      "$ROUTE", "route: [{destination: {host: r.com}}]",
      "$LONGHOST", "abcdefghij.".repeat(25) + "com",
      "$LONGREGEX", "a".repeat(1025),
      "$BODY1MB", "x".repeat(1024 * 1024 + 1),
      "$BODY200KB", "x".repeat(200 * 1024));

  /** One row of the table. */
  record Row(int line, String rule, String kind, Map<String, String> meta, String expect, String text, String spec) {
    @Override
    public String toString() {
      return rule + " [" + expect + "] line " + line;
    }
  }

  static List<Row> rows() throws IOException {
    String table;
    try (InputStream in = ValidationRulesTest.class.getResourceAsStream("/validation/rules.tsv")) {
      table = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> lines = table.lines().toList();
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isBlank() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split("\t", -1);
      assertThat(f).as("line %d: %s", i + 1, l).hasSize(5);
      String[] kindAndMeta = f[1].split(" ");
      Map<String, String> meta = new TreeMap<>();
      for (int k = 1; k < kindAndMeta.length; k++) {
        String[] kv = kindAndMeta[k].split("=", 2);
        meta.put(kv[0], kv[1]);
      }
      rows.add(new Row(i + 1, f[0], kindAndMeta[0], meta, f[2], f[3], f[4]));
    }
    return rows;
  }

  private static String document(Row row) {
    ResourceKind kind = ResourceKind.byName(row.kind()).orElseThrow();
    String spec = row.spec();
    for (Map.Entry<String, String> t : TOKENS.entrySet()) {
      spec = spec.replace(t.getKey(), t.getValue());
    }
    StringBuilder doc = new StringBuilder()
        .append("apiVersion: ").append(kind.preferredApiVersion()).append('\n')
        .append("kind: ").append(kind.kind()).append('\n')
        .append("metadata:\n")
        .append("  name: ").append(row.meta().getOrDefault("name", "test")).append('\n')
        .append("  namespace: ").append(row.meta().getOrDefault("ns", "default")).append('\n');
    String ann = row.meta().get("ann");
    if (ann != null) {
      int colon = ann.lastIndexOf(':');
      doc.append("  annotations: {\"").append(ann, 0, colon).append("\": \"").append(ann.substring(colon + 1))
          .append("\"}\n");
    }
    return doc.append("spec: ").append(spec).append('\n').toString();
  }

  @ParameterizedTest
  @MethodSource("rows")
  void rule(Row row) {
    LoadResult loaded = new ConfigLoader().load("rules.tsv:" + row.line(), new StringReader(document(row)));
    assertThat(loaded.problems()).as("load problems").isEmpty();
    assertThat(loaded.resources()).hasSize(1);
    ValidationResult result = Validation.validate(loaded.resources().getFirst());
    List<String> errors = result.errors().stream().map(Issue::message).toList();
    List<Issue> all = result.issues();
    switch (row.expect()) {
      case "ok" -> {
        assertThat(errors).as("errors").isEmpty();
        assertThat(all).extracting(Issue::message).noneMatch(m -> m.contains(row.text()));
      }
      case "error" -> assertThat(errors).anySatisfy(m -> assertThat(m).contains(row.text()));
      case "warning", "info" -> {
        assertThat(errors).as("errors").isEmpty();
        Level level = row.expect().equals("info") ? Level.INFO : Level.WARNING;
        assertThat(all).filteredOn(i -> i.level() == level).extracting(Issue::message)
            .anySatisfy(m -> assertThat(m).contains(row.text()));
      }
      default -> throw new AssertionError("expectation " + row.expect() + " (expected: ok, error, warning, info)");
    }
  }

  @Test
  void everyRuleHasAPassingAndAFailingCase() throws IOException {
    Map<String, List<Row>> byRule = rows().stream().collect(Collectors.groupingBy(Row::rule, TreeMap::new,
        Collectors.toList()));
    for (Map.Entry<String, List<Row>> e : byRule.entrySet()) {
      assertThat(e.getValue()).as("rule %s has a passing case", e.getKey()).anyMatch(r -> r.expect().equals("ok"));
      assertThat(e.getValue()).as("rule %s has a failing case", e.getKey()).anyMatch(r -> !r.expect().equals("ok"));
    }
    System.out.println("validation rules covered: " + byRule.size() + " (" + rows().size() + " cases)");
  }
}
