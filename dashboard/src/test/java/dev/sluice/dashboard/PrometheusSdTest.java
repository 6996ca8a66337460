package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusSdTest {

  @Test
  void rendersOneGroupPerTargetWithItsLabels() {
    String json = PrometheusSd.render(List.of(
        new ScrapeTarget(URI.create("http://127.0.0.1:41234/stats/prometheus"), "reviews-v2-1", "bookinfo", "reviews"),
        new ScrapeTarget(URI.create("http://127.0.0.1:41235/metrics"), "ratings-v1-1", "bookinfo", "ratings")));
    assertThat(json).isEqualTo("[{\"targets\":[\"127.0.0.1:41234\"],\"labels\":{\"__metrics_path__\":\"/stats/prometheus\","
        + "\"pod\":\"reviews-v2-1\",\"namespace\":\"bookinfo\",\"app\":\"reviews\"}},"
        + "{\"targets\":[\"127.0.0.1:41235\"],\"labels\":{\"__metrics_path__\":\"/metrics\","
        + "\"pod\":\"ratings-v1-1\",\"namespace\":\"bookinfo\",\"app\":\"ratings\"}}]");
    assertThat(PrometheusSd.render(List.of())).isEqualTo("[]");
  }

  @Test
  void targetNeedsHostAndPort() {
    assertThatThrownBy(() -> new ScrapeTarget(URI.create("http://127.0.0.1/stats"), "p", "n", "a"))
        .hasMessageContaining("expected: http://host:port/path");
  }
}
