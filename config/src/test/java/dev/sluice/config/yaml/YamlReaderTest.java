package dev.sluice.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlReaderTest {
  private final YamlReader reader = new YamlReader();

  @Test
  void keepsLineOfEveryField() throws Exception {
    //language=YAML
    String yaml = """
        # comment
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts:
          - reviews
          http:
          - route:
            - destination:
                host: reviews
        ---
        kind: Second
        """;
    List<YamlDocument> docs = reader.read("r.yaml", new StringReader(yaml));
    assertThat(docs).hasSize(2);
    YamlDocument d = docs.getFirst();
    assertThat(d.origin().line()).isEqualTo(2);
    assertThat(d.originOf("spec.http[0].route[0].destination.host").toString()).isEqualTo("r.yaml:12");
    assertThat(d.originOf("spec.hosts[0]").line()).isEqualTo(8);
    assertThat(d.originOf("spec.http[0].route[0].destination.nope").line()).isEqualTo(11);
    assertThat(docs.get(1).origin().line()).isEqualTo(14);
  }

  @Test
  void skipsEmptyDocuments() throws Exception {
    assertThat(reader.read("e.yaml", new StringReader("---\n# only a comment\n---\na: 1\n---\n"))).hasSize(1);
  }

  @Test
  void expandsAliasesAndMergeKeys() throws Exception {
    //language=YAML
    String yaml = """
        base: &b {x: 1, y: 2}
        copy: *b
        merged:
          <<: *b
          y: 3
        """;
    YamlDocument d = reader.read("a.yaml", new StringReader(yaml)).getFirst();
    assertThat(d.tree().at("/copy/x").asInt()).isEqualTo(1);
    assertThat(d.tree().at("/merged/x").asInt()).isEqualTo(1);
    assertThat(d.tree().at("/merged/y").asInt()).isEqualTo(3);
  }

  @Test
  void refusesAliasBomb() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 9; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }
    assertThatThrownBy(() -> reader.read("bomb.yaml", new StringReader(yaml.toString())))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("aliases expand to more than");
  }

  @Test
  void refusesDeepNesting() {
    String yaml = "a: " + "[".repeat(5_000) + "]".repeat(5_000) + "\n";
    assertThatThrownBy(() -> reader.read("deep.yaml", new StringReader(yaml)))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("nested deeper than 64 levels");
  }

  @Test
  void refusesDeepBlockNesting() {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      yaml.append("  ".repeat(i)).append("k").append(i).append(":\n");
    }
    yaml.append("  ".repeat(200)).append("v: 1\n");
    assertThatThrownBy(() -> reader.read("deep.yaml", new StringReader(yaml.toString())))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("nested deeper than");
  }

  @Test
  void refusesHugeDocument() {
    YamlReader small = new YamlReader(new YamlLimits(10_000, 1_000_000, 64, 100));
    String yaml = "a: \"" + "x".repeat(20_000) + "\"\n";
    assertThatThrownBy(() -> small.read("big.yaml", new StringReader(yaml)))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("larger than 10000 characters");
  }

  @Test
  void refusesHugeStream() {
    YamlReader small = new YamlReader(new YamlLimits(10_000, 50_000, 64, 100));
    String yaml = "a: 1\n---\n".repeat(10_000);
    assertThatThrownBy(() -> small.read("many.yaml", new StringReader(yaml)))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("input is larger than 50000 characters");
  }

  @Test
  void reportsSyntaxErrorWithLine() {
    assertThatThrownBy(() -> reader.read("bad.yaml", new StringReader("a: 1\nb: [unclosed\nc: 2\n")))
        .isInstanceOf(YamlException.class)
        .hasMessageStartingWith("invalid YAML")
        .satisfies(e -> assertThat(((YamlException) e).origin().file()).isEqualTo("bad.yaml"));
  }

  @Test
  void refusesDuplicateKeys() {
    assertThatThrownBy(() -> reader.read("dup.yaml", new StringReader("a: 1\nb: 2\na: 3\n")))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("duplicate key \"a\"")
        .satisfies(e -> assertThat(((YamlException) e).origin().line()).isEqualTo(3));
  }
}
