package dev.tuneforge.app.apikey;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/** A token bucket per key, in memory: answers how long to wait, zero when the request may pass. */
@Component
@EnableConfigurationProperties(RateLimitProperties.class)
class RateLimiter {
  private final RateLimitProperties limits;
  private final Clock clock;
  private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(RateLimitProperties limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Takes one request from {@code key}'s bucket; the wait until one is there if it is empty. */
  Duration take(UUID key) {
    long now = clock.millis();
    return buckets.computeIfAbsent(key, k -> new Bucket(limits.burst(), now)).take(now);
  }

  private final class Bucket {
    private double tokens;
    private long updatedAt;

    Bucket(double tokens, long updatedAt) {
      this.tokens = tokens;
      this.updatedAt = updatedAt;
    }

    synchronized Duration take(long now) {
      double perMilli = limits.requestsPerMinute() / 60_000.0;
      tokens = Math.min(limits.burst(), tokens + Math.max(0, now - updatedAt) * perMilli);
      updatedAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return Duration.ZERO;
      }
      return Duration.ofMillis((long) Math.ceil((1 - tokens) / perMilli));
    }
  }
}
