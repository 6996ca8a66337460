package dev.sluice.xds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PushThrottleTest {
  @Test
  void grantsUpToItsLimitAndHandsFreedSlotsOnInArrivalOrder() {
    PushThrottle<String> t = new PushThrottle<>(2);
    assertThat(t.enter("a", 0)).isTrue();
    assertThat(t.enter("b", 0)).isTrue();
    assertThat(t.enter("c", 10)).isFalse();
    assertThat(t.enter("d", 20)).isFalse();
    // Asking again changes nothing: a holder still holds, a waiter keeps its place.
    assertThat(t.enter("a", 30)).isTrue();
    assertThat(t.enter("c", 30)).isFalse();
    assertThat(t.inFlight()).isEqualTo(2);
    assertThat(t.waiting()).isEqualTo(2);

    assertThat(t.leave("b", 50)).isEqualTo(new PushThrottle.Grant<>("c", 40));
    assertThat(t.holds("c")).isTrue();
    assertThat(t.holds("b")).isFalse();
    assertThat(t.leave("a", 60)).isEqualTo(new PushThrottle.Grant<>("d", 40));
    assertThat(t.leave("c", 70)).isNull();
    assertThat(t.inFlight()).isEqualTo(1);
    assertThat(t.waiting()).isZero();
    assertThat(t.highWater()).isEqualTo(2);
  }

  @Test
  void aWaiterThatLeavesFreesNoSlotAndLeavingTwiceIsHarmless() {
    PushThrottle<String> t = new PushThrottle<>(1);
    t.enter("a", 0);
    t.enter("b", 0);
    t.enter("c", 0);
    assertThat(t.leave("b", 1)).isNull();
    assertThat(t.leave("x", 1)).isNull();
    assertThat(t.leave("a", 2)).isEqualTo(new PushThrottle.Grant<>("c", 2));
    assertThat(t.leave("a", 3)).isNull();
    assertThat(t.inFlight()).isEqualTo(1);
  }
}
