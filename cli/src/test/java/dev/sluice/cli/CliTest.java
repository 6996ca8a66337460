package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's commands run in-process: output lines, formats and exit codes as istioctl's. */
class CliTest {
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private Path write(String name, String yaml) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, yaml);
    return p;
  }

  //language=YAML
  private static final String SHORT_TIMEOUT = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: reviews
      spec:
        hosts: [reviews]
        http:
        - route:
          - destination:
              host: reviews
          timeout: 0.0001s
      """;

  @Test
  void proxyHasItsOwnCommandLineWithTheSameHelpAndUsageErrors() {
    Run help = run("proxy", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).startsWith("Usage: sluice proxy ").contains("-c, --config-path=FILE");
    Run missing = run("proxy");
    assertThat(missing.code()).isEqualTo(Main.EXIT_USAGE);
    assertThat(missing.err()).contains("Missing required option: '--config-path=FILE'");
    assertThat(run("help", "proxy").out()).startsWith("Usage: sluice proxy ");
  }

  @Test
  void versionPrintsClientVersion() {
    Run r = run("version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("client version: ");
  }

  @Test
  void validateReportsErrorWithKindNameFileAndLine() throws IOException {
    Path f = write("bad.yaml", SHORT_TIMEOUT);
    Run r = run("validate", "-f", f.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("Error: VirtualService default/reviews (" + f + ":11): duration must be greater than 1ms");
  }

  @Test
  void validatePassesGoodFiles() throws IOException {
    Path f = write("good.yaml", SHORT_TIMEOUT.replace("0.0001s", "0.5s"));
    Run r = run("validate", "-f", f.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("1 resource valid");
  }

  @Test
  void validateReportsSchemaErrorsAsErrors() throws IOException {
    Path f = write("typo.yaml", SHORT_TIMEOUT.replace("timeout:", "timout:"));
    Run r = run("validate", "-f", f.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Error: VirtualService default/reviews (" + f + ":11): unknown field \"spec.http[0].timout\"");
  }

  @Test
  void analyzeExitsWith79OnErrorsAndPrintsIstioLogLine() throws IOException {
    Path f = write("bad.yaml", SHORT_TIMEOUT);
    Run r = run("analyze", f.toString());
    assertThat(r.code()).isEqualTo(79);
    assertThat(r.out()).contains("Error [IST0106] (VirtualService default/reviews " + f + ":11) Schema validation error: ");
  }

  @Test
  void analyzeCleanFilesSaysSo() throws IOException {
    Path f = write("good.yaml", SHORT_TIMEOUT.replace("0.0001s", "0.5s"));
    Run r = run("analyze", f.toString());
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("\u2714 No validation issues found when analyzing namespace: default.");
    assertThat(run("analyze", "-A", f.toString()).err()).contains("when analyzing all namespaces.");
  }

  @Test
  void analyzeJsonHasIstioKeys() throws IOException {
    Path f = write("bad.yaml", SHORT_TIMEOUT);
    Run r = run("analyze", "-o", "json", f.toString());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.isArray()).isTrue();
    JsonNode m = json.get(0);
    assertThat(m.fieldNames()).toIterable()
        .containsExactly("code", "documentationUrl", "level", "message", "origin", "reference");
    assertThat(m.get("documentationUrl").asText()).isEqualTo("https://istio.io/latest/docs/reference/config/analysis/ist0106/");
    assertThat(m.get("origin").asText()).isEqualTo("VirtualService default/reviews");
  }

  @Test
  void failureThresholdDecidesExitCode() throws IOException {
    Path f = write("warn.yaml", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: r}
        spec:
          hosts: [r]
          http:
          - route:
            - destination: {host: r}
          - route:
            - destination: {host: r}
        """);
    assertThat(run("analyze", f.toString()).code()).isZero();
    assertThat(run("analyze", "--failure-threshold", "Warning", f.toString()).code()).isEqualTo(79);
    assertThat(run("analyze", "--output-threshold", "Error", f.toString()).out()).isEmpty();
  }

  @Test
  void badUsageExitsWith64() throws IOException {
    Path f = write("good.yaml", SHORT_TIMEOUT.replace("0.0001s", "0.5s"));
    assertThat(run("analyze", "--use-kube=true", f.toString()).code()).isEqualTo(64);
    assertThat(run("analyze", "--failure-threshold", "Fatal", f.toString()).code()).isEqualTo(64);
    assertThat(run("analyze", "-o", "xml", f.toString()).code()).isEqualTo(64);
    assertThat(run("validate").code()).isEqualTo(64);
  }

  @Test
  void unreadableInputExitsWith65() throws IOException {
    Path f = write("broken.yaml", "a: [unclosed\n");
    Run r = run("analyze", f.toString());
    assertThat(r.code()).isEqualTo(65);
    assertThat(r.err()).contains("Error: " + f + ":").contains("invalid YAML");
  }
}
