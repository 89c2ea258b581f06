package dev.tuneforge.app.dataset.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A failed sample is not tried on every dispatch tick: it waits a minute, then twice as long after
 * each further failure, at most an hour; other samples and a success are not held back.
 */
class SamplingBackoffTest {
  private final TestClock clock = new TestClock();
  private final SamplingBackoff<String> backoff = new SamplingBackoff<>(clock);

  @Test
  void aFailedSampleWaitsLongerAfterEachFailureAndASuccessForgetsThem() {
    assertThat(backoff.mayTry("v1")).isTrue();
    assertThat(backoff.failed("v1")).isEqualTo(Duration.ofMinutes(1));
    assertThat(backoff.mayTry("v1")).as("the next dispatch tick, 5 s later").isFalse();
    clock.advance(Duration.ofSeconds(5));
    assertThat(backoff.mayTry("v1")).isFalse();
    assertThat(backoff.mayTry("v2")).as("another version is not held back").isTrue();

    clock.advance(Duration.ofMinutes(1));
    assertThat(backoff.mayTry("v1")).isTrue();
    assertThat(backoff.failed("v1")).isEqualTo(Duration.ofMinutes(2));
    clock.advance(Duration.ofMinutes(1));
    assertThat(backoff.mayTry("v1")).isFalse();

    Duration wait = Duration.ofMinutes(2);
    for (int i = 0; i < 10; i++) {
      clock.advance(wait);
      assertThat(backoff.mayTry("v1")).isTrue();
      wait = backoff.failed("v1");
    }
    assertThat(wait).isEqualTo(Duration.ofHours(1));

    clock.advance(wait);
    backoff.succeeded("v1");
    assertThat(backoff.failed("v1"))
        .as("after a success, the first wait again")
        .isEqualTo(Duration.ofMinutes(1));
  }
}
