package dev.sluice.proxy.core.filter;

import java.util.random.RandomGenerator;

/**
 * Envoy's {@code type.v3.FractionalPercent}: {@code numerator} out of {@code denominator} (100,
 * 10,000 or 1,000,000). A request is sampled when {@code random % denominator < numerator}, as
 * Envoy's runtime {@code featureEnabled}.
 */
public record Fraction(long numerator, long denominator) {
  public static final Fraction ALL = new Fraction(100, 100);
  public static final Fraction NONE = new Fraction(0, 100);

  public Fraction {
    if (denominator != 100 && denominator != 10_000 && denominator != 1_000_000) {
      throw new IllegalArgumentException(
          "denominator: " + denominator + " (expected: HUNDRED, TEN_THOUSAND or MILLION)");
    }
    if (numerator < 0) {
      throw new IllegalArgumentException("numerator: " + numerator + " (expected: >= 0)");
    }
    // Envoy caps a numerator above the denominator at 100 %.
    numerator = Math.min(numerator, denominator);
  }

  /** {@code percent} % with a MILLION denominator. */
  public static Fraction percent(double percent) {
    return new Fraction(Math.round(percent * 10_000), 1_000_000);
  }

  /** Whether this request is in the fraction. */
  public boolean sample(RandomGenerator random) {
    return numerator >= denominator || (numerator > 0 && random.nextLong(denominator) < numerator);
  }

  /** The share as a percentage. */
  public double asPercent() {
    return numerator * 100.0 / denominator;
  }
}
