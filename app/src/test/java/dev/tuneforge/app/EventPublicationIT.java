package dev.tuneforge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Module events on real PostgreSQL survive what would lose a synchronous event: a listener that
 * fails once is handed the event again and completes it, and an event whose listener had not
 * finished when the app stopped is handled after the app starts again. The app is started twice
 * here, on one database, with a listener that fails or hangs on request.
 */
class EventPublicationIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aFailedListenerIsRetriedAndAnUnfinishedOneIsResumedAfterARestart() {
    Ping failsOnce = new Ping(UUID.randomUUID(), Ping.FAIL_ONCE);
    Ping unfinished = new Ping(UUID.randomUUID(), Ping.HANG_BEFORE_RESTART);
    try (ConfigurableApplicationContext app = start()) {
      app.getBean(TransactionTemplate.class)
          .executeWithoutResult(
              status -> {
                app.publishEvent(failsOnce);
                app.publishEvent(unfinished);
              });
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      Awaitility.await("the first attempt failed")
          .atMost(WAIT)
          .until(() -> Pings.ATTEMPTS.get(failsOnce.id()) != null);
      Awaitility.await("the other started")
          .atMost(WAIT)
          .until(() -> Pings.ATTEMPTS.get(unfinished.id()) != null);
      assertThat(incomplete(jdbc, failsOnce))
          .as("a failed listener leaves its publication incomplete")
          .isEqualTo(1);

      app.getBean(TestClock.class).advance(FailedEventRetryJob.MIN_AGE.multipliedBy(2));
      new FailedEventRetryJob(app.getBean(IncompleteEventPublications.class)).execute(null);
      Awaitility.await("the retry handled it")
          .atMost(WAIT)
          .until(() -> Pings.HANDLED.contains(failsOnce.id()));
      assertThat(Pings.ATTEMPTS.get(failsOnce.id())).isEqualTo(2);
      Awaitility.await("its publication completed")
          .atMost(WAIT)
          .until(() -> publications(jdbc, failsOnce) == 0);
      assertThat(incomplete(jdbc, unfinished)).as("still in its listener").isEqualTo(1);
    }
    assertThat(Pings.HANDLED).doesNotContain(unfinished.id());

    Pings.restarted = true;
    try (ConfigurableApplicationContext app = start()) {
      Awaitility.await("handled after the restart")
          .atMost(WAIT)
          .until(() -> Pings.HANDLED.contains(unfinished.id()));
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      Awaitility.await("its publication completed")
          .atMost(WAIT)
          .until(() -> publications(jdbc, unfinished) == 0);
      assertThat(Pings.ATTEMPTS.get(failsOnce.id()))
          .as("a completed event is not handed out again")
          .isEqualTo(2);
    } finally {
      Pings.STUCK.countDown();
    }
  }

  private static ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(TuneforgeApplication.class, Pings.class)
        .initializers(new TestDatabase())
        .properties("server.port=0")
        .run();
  }

  private static int incomplete(JdbcClient jdbc, Ping ping) {
    return jdbc.sql(
            "select count(*) from event_publication where serialized_event like ? and completion_date is null")
        .param("%" + ping.id() + "%")
        .query(Integer.class)
        .single();
  }

  private static int publications(JdbcClient jdbc, Ping ping) {
    return jdbc.sql("select count(*) from event_publication where serialized_event like ?")
        .param("%" + ping.id() + "%")
        .query(Integer.class)
        .single();
  }

  /** A test event; {@code behaviour} says how its listener treats it. */
  public record Ping(UUID id, String behaviour) {
    static final String FAIL_ONCE = "fail-once";
    static final String HANG_BEFORE_RESTART = "hang-before-restart";
  }

  /** Registered only in the apps this test starts (not a scanned component). */
  static class Pings {
    static final Map<UUID, Integer> ATTEMPTS = new ConcurrentHashMap<>();
    static final Set<UUID> HANDLED = ConcurrentHashMap.newKeySet();
    static final CountDownLatch STUCK = new CountDownLatch(1);
    static volatile boolean restarted;

    @ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
    void on(Ping ping) throws InterruptedException {
      int attempt = ATTEMPTS.merge(ping.id(), 1, Integer::sum);
      if (Ping.FAIL_ONCE.equals(ping.behaviour()) && attempt == 1) {
        throw new IllegalStateException("fails the first time");
      }
      if (Ping.HANG_BEFORE_RESTART.equals(ping.behaviour()) && !restarted) {
        // Stands for an app that stops (or dies) while the listener runs: it never returns here.
        STUCK.await(10, TimeUnit.MINUTES);
        return;
      }
      HANDLED.add(ping.id());
    }
  }
}
