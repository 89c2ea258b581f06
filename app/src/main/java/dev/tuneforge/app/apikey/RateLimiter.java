package dev.tuneforge.app.apikey;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A token bucket per key in PostgreSQL, so that every app replica takes from the same bucket:
 * answers how long to wait, zero when the request may pass. One upsert per request refills the
 * bucket for the time since it was last counted, takes a token if there is one, and says whether it
 * did; the row lock makes concurrent requests of a key take turns.
 */
@Component
@EnableConfigurationProperties(RateLimitProperties.class)
class RateLimiter {
  private static final String REFILLED =
      "least(:burst, b.tokens + greatest(0, :now - b.updated_ms) * :perMilli)";
  private static final String TAKE =
      "insert into api_rate_bucket as b (key_id, tokens, updated_ms, passed)"
          + " values (:key, :burst - 1, :now, true)"
          + " on conflict (key_id) do update set"
          + (" tokens = case when " + REFILLED + " >= 1")
          + (" then " + REFILLED + " - 1 else " + REFILLED + " end,")
          + (" passed = " + REFILLED + " >= 1,")
          + " updated_ms = :now"
          + " returning tokens, passed";

  private final RateLimitProperties limits;
  private final JdbcClient jdbc;
  private final Clock clock;

  RateLimiter(RateLimitProperties limits, JdbcClient jdbc, Clock clock) {
    this.limits = limits;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Takes one request from {@code key}'s bucket; the wait until one is there if it is empty. */
  Duration take(UUID key) {
    double perMilli = limits.requestsPerMinute() / 60_000.0;
    Bucket bucket =
        jdbc.sql(TAKE)
            .param("key", key)
            .param("burst", limits.burst())
            .param("now", clock.millis())
            .param("perMilli", perMilli)
            .query((rs, row) -> new Bucket(rs.getDouble(1), rs.getBoolean(2)))
            .single();
    if (bucket.passed()) {
      return Duration.ZERO;
    }
    return Duration.ofMillis((long) Math.ceil((1 - bucket.tokens()) / perMilli));
  }

  private record Bucket(double tokens, boolean passed) {}
}
