package dev.tuneforge.app.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A key may send its burst at once, then as fast as the bucket refills; keys do not share. */
class RateLimiterTest {
  private final MovableClock clock = new MovableClock();
  private final RateLimiter limiter = new RateLimiter(new RateLimitProperties(60, 3), clock);

  @Test
  void theBurstPassesThenTheWaitIsUntilTheNextToken() {
    UUID key = UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.take(key)).isZero();
    }
    assertThat(limiter.take(key)).isEqualTo(Duration.ofSeconds(1));
    clock.now = clock.now.plusMillis(400);
    assertThat(limiter.take(key).toMillis()).isBetween(599L, 601L);
    assertThat(limiter.take(UUID.randomUUID())).as("another key has its own bucket").isZero();
    clock.now = clock.now.plusSeconds(1);
    assertThat(limiter.take(key)).isZero();
    assertThat(limiter.take(key)).isPositive();
  }

  @Test
  void aLongPauseRefillsNoMoreThanTheBurst() {
    UUID key = UUID.randomUUID();
    limiter.take(key);
    clock.now = clock.now.plus(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.take(key)).isZero();
    }
    assertThat(limiter.take(key)).isPositive();
  }

  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
