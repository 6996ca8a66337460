package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HistogramsTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void interpolatesInsideTheBucket() {
    // 100 requests, all between 5 and 10 ms: p95 = 5 + 5 * 0.95
    assertThat(Histograms.quantile(0.95, Map.of(1.0, 0.0, 5.0, 0.0, 10.0, 100.0, INF, 100.0)))
        .isCloseTo(9.75, within(1e-9));
  }

  @Test
  void firstBucketStartsAtZero() {
    assertThat(Histograms.quantile(0.5, Map.of(10.0, 10.0, INF, 10.0))).isCloseTo(5, within(1e-9));
  }

  @Test
  void infBucketGivesTheLastFiniteBound() {
    assertThat(Histograms.quantile(0.95, Map.of(10.0, 1.0, INF, 100.0))).isEqualTo(10);
  }

  @Test
  void noTrafficOrNoInfBucketIsNaN() {
    assertThat(Histograms.quantile(0.95, Map.of(10.0, 0.0, INF, 0.0))).isNaN();
    assertThat(Histograms.quantile(0.95, Map.of(10.0, 1.0))).isNaN();
    assertThat(Histograms.quantile(0.95, Map.of())).isNaN();
  }
}
