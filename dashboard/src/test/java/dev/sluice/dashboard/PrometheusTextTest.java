package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusTextTest {

  @Test
  void parsesLabelsCommentsAndTimestamps() {
    PrometheusText.Page page = PrometheusText.parse("""
        # HELP istio_requests_total Total requests.
        # TYPE istio_requests_total counter
        istio_requests_total{reporter="source",response_code="200"} 42 1700000000000
        up 1

          envoy_x{a = "x" , b="y"} 3.5e2
        """);
    assertThat(page.errors()).isEmpty();
    assertThat(page.samples()).containsExactly(
        new PrometheusText.Sample("istio_requests_total", Map.of("reporter", "source", "response_code", "200"), 42),
        new PrometheusText.Sample("up", Map.of(), 1),
        new PrometheusText.Sample("envoy_x", Map.of("a", "x", "b", "y"), 350));
  }

  @Test
  void unescapesLabelValues() {
    PrometheusText.Page page = PrometheusText.parse("m{path=\"a\\\\b\",q=\"say \\\"hi\\\"\",n=\"1\\n2\",c=\"x,}y\"} 1\n");
    assertThat(page.samples().getFirst().labels())
        .containsEntry("path", "a\\b").containsEntry("q", "say \"hi\"").containsEntry("n", "1\n2")
        .containsEntry("c", "x,}y");
  }

  @ParameterizedTest
  @CsvSource({"NaN, NaN", "+Inf, Infinity", "-Inf, -Infinity", "1e3, 1000", "-0.5, -0.5"})
  void parsesSpecialValues(String text, double expected) {
    assertThat(Double.compare(PrometheusText.parse("m " + text + "\n").samples().getFirst().value(), expected)).isZero();
  }

  @Test
  void reportsBadLinesAndKeepsTheRest() {
    PrometheusText.Page page = PrometheusText.parse("""
        good 1
        bad{a="x" 2
        worse{a=x} 3
        novalue{a="x"}
        alsogood 2
        """);
    assertThat(page.samples()).extracting(PrometheusText.Sample::name).containsExactly("good", "alsogood");
    assertThat(page.errors()).hasSize(3).first().asString().startsWith("line 2:");
  }

  @Test
  void filterSkipsOtherMetricsWithoutParsingThem() {
    PrometheusText.Page page = PrometheusText.parse("envoy_broken{ 1\nistio_requests_total 5\n",
        n -> n.startsWith("istio_"));
    assertThat(page.errors()).isEmpty();
    assertThat(page.samples()).extracting(PrometheusText.Sample::value).containsExactly(5.0);
  }
}
