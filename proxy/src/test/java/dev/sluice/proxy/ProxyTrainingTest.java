package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The AOT training run completes: every request through the two listeners is answered 200. */
@Timeout(60)
class ProxyTrainingTest {
  @Test
  void trainingRunCompletes() {
    assertThatCode(() -> ProxyTraining.main(new String[] {"50"})).doesNotThrowAnyException();
  }
}
