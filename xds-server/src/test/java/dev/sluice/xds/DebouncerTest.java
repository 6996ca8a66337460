package dev.sluice.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** istiod's debounce rules on a fake clock: 100 ms of quiet, at most 10 s of delay. */
class DebouncerTest {
  final FakeScheduler clock = new FakeScheduler();
  final List<PushRequest> pushes = new ArrayList<>();
  final Debouncer debouncer = new Debouncer(clock, Duration.ofMillis(100), Duration.ofSeconds(10), pushes::add);

  PushRequest event(boolean full, String reason) {
    return new PushRequest(full, Set.of(reason), clock.nanoTime(), 1);
  }

  @Test
  void aBurstBecomesOnePushAfterTheQuietPeriod() {
    for (int i = 0; i < 5; i++) {
      debouncer.submit(event(false, "e" + i));
      clock.advanceMillis(50);
    }
    assertThat(pushes).isEmpty();
    clock.advanceMillis(49); // 99 ms after the last event
    assertThat(pushes).isEmpty();
    clock.advanceMillis(1);
    assertThat(pushes).hasSize(1);
    assertThat(pushes.getFirst().events()).isEqualTo(5);
    assertThat(pushes.getFirst().full()).isFalse();
    assertThat(pushes.getFirst().reasons()).hasSize(5);
  }

  @Test
  void aFullEventMakesTheMergedPushFull() {
    debouncer.submit(event(false, "endpoint"));
    debouncer.submit(event(true, "VirtualService default/reviews"));
    clock.advanceMillis(100);
    assertThat(pushes).singleElement().satisfies(p -> assertThat(p.full()).isTrue());
  }

  @Test
  void aSteadyTrickleIsPushedAfterTheMaximumDelay() {
    for (int i = 0; i < 10_050 / 50; i++) {
      debouncer.submit(event(false, "e" + i));
      clock.advanceMillis(50);
    }
    assertThat(pushes).hasSize(1);
    assertThat(pushes.getFirst().events()).isBetween(199, 201);
  }

  @Test
  void separateBurstsArePushedSeparately() {
    debouncer.submit(event(true, "a"));
    clock.advanceMillis(200);
    debouncer.submit(event(false, "b"));
    clock.advanceMillis(200);
    assertThat(pushes).extracting(PushRequest::full).containsExactly(true, false);
  }
}
