package dev.sluice.proxy.core.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.cluster.Endpoint;
import dev.sluice.proxy.core.cluster.HealthStatus;
import dev.sluice.proxy.core.cluster.LbPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LoadBalancersTest {
  private final RandomGenerator random = new SplittableRandom(42);

  static Cluster cluster(LbPolicy policy) {
    return new Cluster("c", Cluster.DiscoveryType.STATIC, "", policy, Duration.ofSeconds(1), List.of(),
        false, Duration.ofHours(1), Cluster.CircuitBreakers.DEFAULT, Cluster.HashConfig.DEFAULT, 50, 2);
  }

  static List<Endpoint> hosts(int n) {
    List<Endpoint> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(Endpoint.of("10.0.0." + (i + 1), 8080));
    }
    return l;
  }

  private Map<Integer, Integer> histogram(LoadBalancer lb, int n, boolean hashed) {
    Map<Integer, Integer> h = new HashMap<>();
    for (int i = 0; i < n; i++) {
      h.merge(lb.pick(hashed ? random.nextLong() : null, random), 1, Integer::sum);
    }
    return h;
  }

  @ParameterizedTest
  @EnumSource(LbPolicy.class)
  void everyPolicySpreadsEvenly(LbPolicy policy) {
    LoadBalancer lb = LoadBalancers.create(cluster(policy), hosts(4), i -> 0);
    Map<Integer, Integer> h = histogram(lb, 40_000, true);
    assertThat(h).hasSize(4);
    h.values().forEach(v -> assertThat(v / 40_000.0).isCloseTo(0.25, within(0.05)));
  }

  @ParameterizedTest
  @EnumSource(LbPolicy.class)
  void weightsAreHonoured(LbPolicy policy) {
    List<Endpoint> eps = List.of(
        new Endpoint("10.0.0.1", 80, 3, HealthStatus.HEALTHY, 0),
        new Endpoint("10.0.0.2", 80, 1, HealthStatus.HEALTHY, 0));
    LoadBalancer lb = LoadBalancers.create(cluster(policy), eps, i -> 0);
    Map<Integer, Integer> h = histogram(lb, 40_000, true);
    assertThat(h.get(0) / 40_000.0).isCloseTo(0.75, within(0.05));
  }

  @Test
  void unhealthyHostsAreSkippedAndEmptyGivesMinusOne() {
    List<Endpoint> eps = List.of(
        new Endpoint("10.0.0.1", 80, 1, HealthStatus.UNHEALTHY, 0),
        new Endpoint("10.0.0.2", 80, 1, HealthStatus.HEALTHY, 0),
        new Endpoint("10.0.0.3", 80, 1, HealthStatus.HEALTHY, 0));
    LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.ROUND_ROBIN), eps, i -> 0);
    assertThat(histogram(lb, 100, false)).doesNotContainKey(0);
    assertThat(LoadBalancers.create(cluster(LbPolicy.ROUND_ROBIN), List.of(), i -> 0).pick(null, random)).isEqualTo(-1);
  }

  @Test
  void panicModeUsesAllHostsWhenMostAreUnhealthy() {
    List<Endpoint> eps = List.of(
        new Endpoint("10.0.0.1", 80, 1, HealthStatus.UNHEALTHY, 0),
        new Endpoint("10.0.0.2", 80, 1, HealthStatus.UNHEALTHY, 0),
        new Endpoint("10.0.0.3", 80, 1, HealthStatus.HEALTHY, 0));
    LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.ROUND_ROBIN), eps, i -> 0);
    assertThat(histogram(lb, 30, false)).hasSize(3);
  }

  @Test
  void lowerPriorityOnlyWhenHigherHasNoHealthyHost() {
    List<Endpoint> eps = List.of(
        new Endpoint("10.0.0.1", 80, 1, HealthStatus.HEALTHY, 1),
        new Endpoint("10.0.0.2", 80, 1, HealthStatus.HEALTHY, 0));
    assertThat(histogram(LoadBalancers.create(cluster(LbPolicy.RANDOM), eps, i -> 0), 50, false)).containsOnlyKeys(1);
  }

  @Test
  void leastRequestAvoidsBusyHost() {
    int[] active = {100, 0};
    LoadBalancer lb = LoadBalancers.create(cluster(LbPolicy.LEAST_REQUEST), hosts(2), i -> active[i]);
    Map<Integer, Integer> h = histogram(lb, 1000, false);
    assertThat(h.getOrDefault(1, 0)).isGreaterThan(700); // P2C: the busy host wins only when drawn twice
  }

  @ParameterizedTest
  @EnumSource(value = LbPolicy.class, names = {"RING_HASH", "MAGLEV"})
  void consistentHashingIsStableAndMovesLittle(LbPolicy policy) {
    LoadBalancer five = LoadBalancers.create(cluster(policy), hosts(5), i -> 0);
    LoadBalancer four = LoadBalancers.create(cluster(policy), hosts(4), i -> 0);
    int moved = 0;
    for (int i = 0; i < 2000; i++) {
      long h = Hashing.xxHash64("user-" + i);
      int a = five.pick(h, random);
      assertThat(five.pick(h, random)).isEqualTo(a);
      if (a != 4 && four.pick(h, random) != a) {
        moved++;
      }
    }
    assertThat(moved).isLessThan(2000 / 5); // only keys of the removed host should move (mostly)
  }

  @Test
  void xxHash64KnownValues() {
    assertThat(Hashing.xxHash64(new byte[0], 0)).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(Hashing.xxHash64("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
  }
}
