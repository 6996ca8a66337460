package dev.sluice.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock tests advance by hand. */
final class FakeClock implements InstantSource {
  private volatile Instant now;

  FakeClock(Instant start) {
    now = start;
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
