package dev.sluice.it;

import static dev.sluice.it.ConformanceFiles.tutorial;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The istio-tutorial's customer → preference → recommendation chain in namespace {@code tutorial},
 * with the tutorial's own manifests and istiofiles: the canary 90/10 → 75/25 → 100 % v2, and
 * routing on the {@code User-Agent} (Firefox → v2) that customer propagates as {@code
 * baggage-user-agent}.
 */
@ExtendWith(Mesh.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class TutorialIT {
  static final String NS = "tutorial";
  Mesh mesh;

  static Path file(String f) {
    return tutorial(f);
  }

  @BeforeAll
  void start() {
    mesh = Mesh.get();
    mesh.apply(NS, file("customer/kubernetes/Deployment.yml"), file("customer/kubernetes/Service.yml"),
        file("preference/kubernetes/Deployment.yml"), file("preference/kubernetes/Service.yml"),
        file("recommendation/kubernetes/Deployment.yml"), file("recommendation/kubernetes/Deployment-v2.yml"),
        file("recommendation/kubernetes/Service.yml"), file("customer/kubernetes/Gateway.yml"),
        file("istiofiles/destination-rule-recommendation-v1-v2.yml"));
    mesh.awaitPods(NS, 4);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
        .until(() -> mesh.gateway("/customer").body().startsWith("customer => preference => recommendation"));
  }

  @AfterEach
  void cleanup() {
    mesh.delete(NS, file("istiofiles/virtual-service-recommendation-v1_and_v2.yml"));
    mesh.delete(NS, file("istiofiles/virtual-service-firefox-recommendation-v2.yml"));
  }

  int v2In(int n, String... headers) {
    int v2 = 0;
    for (int i = 0; i < n; i++) {
      String body = mesh.gateway("/customer", headers).body();
      assertThat(body).startsWith("customer => preference => recommendation v");
      if (body.contains("recommendation v2 from 'recommendation-v2-")) {
        v2++;
      }
    }
    return v2;
  }

  void awaitV2Share(int n, int atLeast) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO).until(() -> v2In(n, new String[0]) >= atLeast);
  }

  @Test
  void canaryNinetyTenThenSeventyFiveTwentyFiveThenAllV2() {
    String body = mesh.gateway("/customer").body();
    assertThat(body).matches("customer => preference => recommendation v[12] from 'recommendation-v[12]-[a-z0-9]+-[a-z0-9]{5}': \\d+\\n");
    mesh.apply(NS, file("istiofiles/virtual-service-recommendation-v1_and_v2.yml"));
    // Wait for the 90/10 rule: no more than 20 % v2 in a row of 50 (round robin gave ~50 %).
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO).until(() -> v2In(50) <= 10);
    assertThat(v2In(100)).isBetween(2, 20);
    mesh.apply(NS, file("istiofiles/virtual-service-recommendation-v1_and_v2_75_25.yml"));
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO).until(() -> v2In(40) >= 6);
    assertThat(v2In(100)).isBetween(13, 37);
    mesh.apply(NS, file("istiofiles/virtual-service-recommendation-v2.yml"));
    awaitV2Share(20, 20);
    assertThat(v2In(20)).isEqualTo(20);
  }

  @Test
  void firefoxUsersReachV2() {
    mesh.apply(NS, file("istiofiles/virtual-service-firefox-recommendation-v2.yml"));
    String firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO).until(() -> v2In(20) == 0);
    assertThat(v2In(20, "User-Agent", firefox)).isEqualTo(20);
    assertThat(v2In(20, "User-Agent", "curl/8.5.0")).isZero();
  }
}
