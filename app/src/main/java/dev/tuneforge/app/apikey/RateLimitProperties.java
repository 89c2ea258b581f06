package dev.tuneforge.app.apikey;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-key request limits ({@code tuneforge.api.rate-limit.*}): a bucket of {@code burst} requests
 * per key, refilled at {@code requests-per-minute}. The buckets are rows in PostgreSQL, so every
 * app replica behind a balancer takes from the same one.
 */
@ConfigurationProperties("tuneforge.api.rate-limit")
record RateLimitProperties(
    @DefaultValue("600") int requestsPerMinute, @DefaultValue("120") int burst) {

  RateLimitProperties {
    if (requestsPerMinute < 1 || burst < 1) {
      throw new IllegalArgumentException(
          "tuneforge.api.rate-limit.requests-per-minute and burst are at least 1");
    }
  }
}
