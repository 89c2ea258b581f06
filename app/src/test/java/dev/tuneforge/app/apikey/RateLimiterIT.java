package dev.tuneforge.app.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.ContextConfiguration;

/**
 * A key may send its burst at once, then as fast as its bucket refills; keys do not share. Two
 * limiters on one database, each with its own connections as two app replicas have, take from the
 * same bucket: requests spread over both, even at the same moment, pass no more than the burst.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class RateLimiterIT {
  @Autowired JdbcClient jdbc;

  @Value("${spring.datasource.url}")
  String url;

  private final MovableClock clock = new MovableClock();

  @Test
  void theBurstPassesThenTheWaitIsUntilTheNextToken() {
    RateLimiter limiter = replica(new RateLimitProperties(60, 3), jdbc);
    UUID key = key();
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.take(key)).isZero();
    }
    assertThat(limiter.take(key)).isEqualTo(Duration.ofSeconds(1));
    clock.now = clock.now.plusMillis(400);
    assertThat(limiter.take(key).toMillis()).isBetween(599L, 601L);
    assertThat(limiter.take(key())).as("another key has its own bucket").isZero();
    clock.now = clock.now.plusSeconds(1);
    assertThat(limiter.take(key)).isZero();
    assertThat(limiter.take(key)).isPositive();
  }

  @Test
  void aLongPauseRefillsNoMoreThanTheBurst() {
    RateLimiter limiter = replica(new RateLimitProperties(60, 3), jdbc);
    UUID key = key();
    limiter.take(key);
    clock.now = clock.now.plus(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.take(key)).isZero();
    }
    assertThat(limiter.take(key)).isPositive();
  }

  @Test
  void twoReplicasShareOneBucketPerKey() throws Exception {
    RateLimitProperties limits = new RateLimitProperties(1, 20);
    RateLimiter first = replica(limits, jdbc);
    RateLimiter second =
        replica(
            limits, JdbcClient.create(new DriverManagerDataSource(url, "postgres", "postgres")));
    UUID key = key();
    for (int i = 0; i < 10; i++) {
      assertThat(first.take(key)).isZero();
    }
    for (int i = 0; i < 10; i++) {
      assertThat(second.take(key)).as("the other replica takes the rest of the burst").isZero();
    }
    assertThat(first.take(key)).isPositive();
    assertThat(second.take(key)).as("and then refuses, as the first one does").isPositive();

    UUID busy = key();
    List<Callable<Boolean>> requests = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      RateLimiter replica = i % 2 == 0 ? first : second;
      requests.add(() -> replica.take(busy).isZero());
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      long passed = 0;
      for (Future<Boolean> answer : pool.invokeAll(requests)) {
        passed += answer.get() ? 1 : 0;
      }
      assertThat(passed).as("60 requests at once over both replicas").isEqualTo(20);
    } finally {
      pool.shutdownNow();
    }
  }

  private RateLimiter replica(RateLimitProperties limits, JdbcClient database) {
    return new RateLimiter(limits, database, clock);
  }

  /** A key of a new user: a bucket belongs to a key. */
  private UUID key() {
    TestRows rows = new TestRows(jdbc);
    UUID tenant = rows.tenant("rate");
    UUID user = rows.user(tenant, "rate-" + UUID.randomUUID());
    UUID key = UUID.randomUUID();
    jdbc.sql(
            "insert into api_key (id, tenant_id, user_id, name, prefix, secret_hash, created_at)"
                + " values (?, ?, ?, 'k', 'tf_x', ?, now())")
        .params(key, tenant, user, key.toString())
        .update();
    return key;
  }

  private static final class MovableClock extends Clock {
    volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
