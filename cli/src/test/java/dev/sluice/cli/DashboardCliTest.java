package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controlplane.Sluiced;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code sluice dashboard}: the running mesh's dashboard URL, or why there is none. */
class DashboardCliTest {

  @Test
  void printsTheDashboardsUrl() {
    try (Sluiced cp = Sluiced.start(Sluiced.Options.ephemeral().withDashboard(0, null, Duration.ofSeconds(30)))) {
      ControlPlaneCliTest.Run r = ControlPlaneCliTest.run("dashboard", "--control-plane",
          "http://127.0.0.1:" + cp.httpPort());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out().trim()).isEqualTo(cp.dashboardUrl().orElseThrow().toString());
    }
  }

  @Test
  void saysSoWhenSluicedServesNone() {
    try (Sluiced cp = Sluiced.start(Sluiced.Options.ephemeral())) {
      ControlPlaneCliTest.Run r = ControlPlaneCliTest.run("dashboard", "--control-plane",
          "http://127.0.0.1:" + cp.httpPort());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("serves no dashboard");
    }
  }

  @Test
  void zipkinEntryPutsAnOutsideZipkinBehindIstiosName() {
    assertThat(UpCommand.zipkinEntry("127.0.0.1:9411")).contains("hosts: [zipkin.istio-system.svc.cluster.local]",
        "endpoints: [{address: 127.0.0.1, ports: {http-zipkin: 9411}}]");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> UpCommand.zipkinEntry("localhost"))
        .hasMessage("expected HOST:PORT");
  }
}
