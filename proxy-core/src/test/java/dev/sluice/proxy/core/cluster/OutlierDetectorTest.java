package dev.sluice.proxy.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Envoy's consecutive-5xx ejection, the max ejection percentage and the return after the ejection time. */
class OutlierDetectorTest {
  static final long S = 1_000_000_000L;

  static OutlierDetection config(int maxPercent, boolean alwaysEjectOne) {
    return new OutlierDetection(5, 5, 5, Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(300), Duration.ZERO, maxPercent, 100, 0, 100, false, alwaysEjectOne);
  }

  static OutlierMonitor.EjectionType fail5(OutlierMonitor m, OutlierDetection c) {
    OutlierMonitor.EjectionType t = null;
    for (int i = 0; i < 5; i++) {
      t = m.putHttpStatus(c, 503);
    }
    return t;
  }

  @Test
  void oneOfThreeWithIstioDefaultsIsNotEjected() {
    OutlierDetection c = config(10, false);
    var d = new OutlierDetector(c, new SplittableRandom(1));
    List<OutlierMonitor> hosts = List.of(new OutlierMonitor(), new OutlierMonitor(), new OutlierMonitor());
    assertThat(fail5(hosts.get(0), c)).isEqualTo(OutlierMonitor.EjectionType.CONSECUTIVE_5XX);
    assertThat(d.onDetected(hosts.get(0), OutlierMonitor.EjectionType.CONSECUTIVE_5XX, hosts, 0))
        .isEqualTo(OutlierDetector.Outcome.OVERFLOW); // 33 % > 10 %
    assertThat(hosts.get(0).ejected()).isFalse();
  }

  @Test
  void oneOfThreeWithAlwaysEjectOneHostOrEnoughPercent() {
    for (OutlierDetection c : List.of(config(10, true), config(34, false))) {
      var d = new OutlierDetector(c, new SplittableRandom(1));
      List<OutlierMonitor> hosts = List.of(new OutlierMonitor(), new OutlierMonitor(), new OutlierMonitor());
      fail5(hosts.get(0), c);
      assertThat(d.onDetected(hosts.get(0), OutlierMonitor.EjectionType.CONSECUTIVE_5XX, hosts, 0))
          .isEqualTo(OutlierDetector.Outcome.EJECTED);
      fail5(hosts.get(1), c);
      assertThat(d.onDetected(hosts.get(1), OutlierMonitor.EjectionType.CONSECUTIVE_5XX, hosts, 0))
          .isEqualTo(OutlierDetector.Outcome.OVERFLOW); // a second one would be 67 %
    }
  }

  @Test
  void ejectionTimeGrowsWithEjectionsAndHostsReturn() {
    OutlierDetection c = config(100, false);
    var d = new OutlierDetector(c, new SplittableRandom(1));
    OutlierMonitor h = new OutlierMonitor();
    List<OutlierMonitor> hosts = List.of(h, new OutlierMonitor());
    fail5(h, c);
    d.onDetected(h, OutlierMonitor.EjectionType.CONSECUTIVE_5XX, hosts, 0);
    assertThat(d.onInterval(hosts, 29 * S)).isEmpty();
    assertThat(d.onInterval(hosts, 30 * S)).containsExactly(h);
    fail5(h, c);
    d.onDetected(h, OutlierMonitor.EjectionType.CONSECUTIVE_5XX, hosts, 31 * S);
    assertThat(d.onInterval(hosts, 31 * S + 59 * S)).isEmpty(); // 2nd ejection: 60 s
    assertThat(d.onInterval(hosts, 31 * S + 60 * S)).containsExactly(h);
    assertThat(h.numEjections()).isEqualTo(2);
  }

  @Test
  void successResetsTheCountAndGatewayErrorsCountSeparately() {
    OutlierDetection c = config(100, false);
    OutlierMonitor m = new OutlierMonitor();
    for (int i = 0; i < 4; i++) {
      m.putHttpStatus(c, 500);
    }
    assertThat(m.putHttpStatus(c, 200)).isNull();
    for (int i = 0; i < 4; i++) {
      assertThat(m.putHttpStatus(c, 500)).isNull();
    }
    assertThat(m.putLocal(c, OutlierMonitor.LocalResult.CONNECT_FAILED))
        .isEqualTo(OutlierMonitor.EjectionType.CONSECUTIVE_5XX); // a connect failure counts as 503
  }
}
