package dev.tuneforge.app.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.GenerationPoll;
import dev.tuneforge.protocol.GenerationRequest;
import dev.tuneforge.protocol.ModelFiles;
import dev.tuneforge.protocol.PromptMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routing through PostgreSQL with two replicas' routers on one database, as two app pods have: a
 * generation a caller queued on replica B is taken by a node polling replica A (a waiting poll
 * wakes for it), generations of one base (a loaded one first) up to the node's capacity, never
 * twice; the chunks the node posts to A reach the caller on B in order, a repeat once, and the end
 * is metered once, on B; only the taking node feeds a generation, a caller that went away refuses
 * what still comes on either replica, and nothing is left in the tables. A queued generation wakes
 * one waiting poll per replica (one with its base loaded first), not all of them; the polls never
 * look again on their own during a test, so every pickup here comes through a notification; chunks
 * whose notification was missed reach the caller through the tick's one query.
 */
class GenerationRouterIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static DataSource database;
  private static UUID tenant;

  private final List<Generation> finishedOnA = new CopyOnWriteArrayList<>();
  private final List<Generation> finishedOnB = new CopyOnWriteArrayList<>();
  private final GenerationRouter replicaA = router(finishedOnA);
  private final GenerationRouter replicaB = router(finishedOnB);
  private final UUID node = UUID.randomUUID();

  @BeforeAll
  static void migratedDatabase() {
    database = TestDatabase.postgres().getPostgresDatabase();
    Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
    tenant = new TestRows(JdbcClient.create(database)).tenant("router-" + UUID.randomUUID());
  }

  @AfterEach
  void stopReplicas() throws InterruptedException {
    replicaA.close();
    replicaB.close();
  }

  @Test
  void aGenerationNoNodeTakesAnswersNoNodeServesNow() {
    Generation generation = submit(replicaB, "models/none-" + UUID.randomUUID(), null);
    assertThatThrownBy(() -> generation.next(Duration.ofMillis(300), WAIT))
        .isInstanceOf(NoServingNodeException.class)
        .hasMessageContaining("No node serves now");
    Awaitility.await("its row swept once the caller gave up")
        .atMost(WAIT)
        .until(() -> rows(generation) == 0);
  }

  @Test
  void aNodePollingReplicaATakesOneBaseLoadedFirstUpToItsCapacityFromBothReplicas()
      throws Exception {
    String a = "models/a-" + UUID.randomUUID();
    String b = "models/b-" + UUID.randomUUID();
    Generation a1 = submit(replicaB, a, null);
    Generation b1 = submit(replicaA, b, "job-1");
    Generation b2 = submit(replicaB, b, "job-2");
    Generation b3 = submit(replicaB, b, null);

    assertThat(replicaA.poll(node, poll(List.of(b), 2), WAIT))
        .extracting(GenerationRequest::id)
        .containsExactly(b1.id(), b2.id());
    assertThat(replicaB.poll(node, poll(List.of(), 4), WAIT))
        .extracting(GenerationRequest::id)
        .containsExactly(a1.id());
    assertThat(replicaA.poll(node, poll(List.of(), 4), WAIT))
        .extracting(GenerationRequest::id)
        .containsExactly(b3.id());
    assertThat(replicaA.poll(node, poll(List.of(), 4), Duration.ofMillis(50))).isEmpty();
    Awaitility.await("replica B learns that its generations were taken")
        .atMost(WAIT)
        .until(() -> node.equals(b2.node()) && node.equals(b3.node()));
  }

  @Test
  void aPollWaitingOnReplicaAWakesForAGenerationQueuedOnReplicaB() throws Exception {
    CompletableFuture<List<GenerationRequest>> waiting = pollingA(4);
    Thread.sleep(300);
    Generation generation = submit(replicaB, "models/wake-" + UUID.randomUUID(), null);
    assertThat(waiting.get()).extracting(GenerationRequest::id).containsExactly(generation.id());
  }

  @Test
  void aQueuedGenerationWakesOneWaitingPollTheOneWithItsBaseLoadedFirst() throws Exception {
    String base = "models/herd-" + UUID.randomUUID();
    // the polls outlast the test (which interrupts them at its end), so none of them ends empty
    // however slowly the machine runs
    Duration polls = Duration.ofMinutes(5);
    ExecutorService nodes = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<Future<List<GenerationRequest>>> others = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        others.add(nodes.submit(() -> replicaA.poll(UUID.randomUUID(), poll(List.of(), 1), polls)));
      }
      Awaitility.await().atMost(WAIT).until(() -> replicaA.waitingPolls() == 3);
      Future<List<GenerationRequest>> loaded =
          nodes.submit(() -> replicaA.poll(UUID.randomUUID(), poll(List.of(base), 1), polls));
      Awaitility.await().atMost(WAIT).until(() -> replicaA.waitingPolls() == 4);
      long before = replicaA.wakeups();

      Generation first = submit(replicaB, base, null);
      assertThat(loaded.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .extracting(GenerationRequest::id)
          .containsExactly(first.id());
      Thread.sleep(300);
      assertThat(replicaA.wakeups() - before).as("polls woken for one generation").isEqualTo(1);
      assertThat(others).noneMatch(Future::isDone);

      Generation second = submit(replicaB, "models/unloaded-" + UUID.randomUUID(), null);
      Awaitility.await("one of the others takes it")
          .atMost(WAIT)
          .until(() -> others.stream().filter(Future::isDone).count() == 1);
      Thread.sleep(300);
      assertThat(replicaA.wakeups() - before).as("polls woken for two generations").isEqualTo(2);
      List<GenerationRequest> tookSecond =
          others.stream().filter(Future::isDone).findFirst().orElseThrow().get();
      assertThat(tookSecond).extracting(GenerationRequest::id).containsExactly(second.id());
      assertThat(replicaA.waitingPolls()).isEqualTo(2);
    } finally {
      nodes.shutdownNow();
      assertThat(nodes.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
    assertThat(replicaA.waitingPolls()).as("interrupted polls stop waiting").isZero();
  }

  @Test
  void aChunkWhoseNotificationWasMissedReachesTheCallerThroughTheTick() throws Exception {
    Generation generation = submit(replicaB, "models/missed-" + UUID.randomUUID(), null);
    replicaA.poll(node, poll(List.of(), 1), WAIT);
    // stored as a replica would store it, but without the NOTIFY
    JdbcClient.create(database)
        .sql(
            "insert into generation_chunk (generation_id, idx, tenant_id, chunk, created_at)"
                + " values (?, 0, ?, ?::jsonb, clock_timestamp())")
        .params(
            generation.id(),
            tenant,
            JsonMapper.builder().build().writeValueAsString(GenerationChunk.text(0, "late", 1)))
        .update();
    assertThat(generation.next(WAIT, WAIT).delta()).isEqualTo("late");
  }

  @Test
  void theChunkFallbackFindsTheGenerationsWithStoredChunksInOneQuery() throws Exception {
    String base = "models/with-chunks-" + UUID.randomUUID();
    Generation a = submit(replicaB, base, null);
    Generation b = submit(replicaB, base, null);
    assertThat(replicaA.poll(node, poll(List.of(), 2), WAIT)).hasSize(2);
    replicaB.close(); // so that nothing drains the chunk before the query sees it
    GenerationQueue queue = new GenerationQueue(JdbcClient.create(database));
    assertThat(queue.post(node, a.id(), GenerationChunk.text(0, "x", 1))).isTrue();

    assertThat(queue.withChunks(List.of(a.id(), b.id(), UUID.randomUUID())))
        .containsExactly(a.id());
    assertThat(queue.withChunks(List.of())).isEmpty();
    queue.remove(a.id());
    queue.remove(b.id());
  }

  @Test
  void chunksPostedToReplicaAReachTheCallerOnReplicaBInOrderAndTheEndIsMeteredOnce()
      throws Exception {
    Generation generation = submit(replicaB, "models/c-" + UUID.randomUUID(), "job-1");
    replicaA.poll(node, poll(List.of(), 1), WAIT);
    GenerationChunk last =
        GenerationChunk.last(2, "!", 1, GenerationChunk.STOP, new GenerationChunk.Usage(7, 3));
    assertThat(replicaA.chunk(node, generation.id(), last)).isEqualTo(Generation.Accepted.TAKEN);
    replicaA.chunk(node, generation.id(), GenerationChunk.text(0, "Hel", 1));
    replicaA.chunk(node, generation.id(), GenerationChunk.text(0, "Hel", 1));
    replicaA.chunk(node, generation.id(), GenerationChunk.text(1, "lo", 1));

    StringBuilder text = new StringBuilder();
    GenerationChunk chunk;
    do {
      chunk = generation.next(WAIT, WAIT);
      text.append(chunk.delta());
    } while (!chunk.isLast());
    assertThat(text).hasToString("Hello!");
    assertThat(chunk.usage()).isEqualTo(new GenerationChunk.Usage(7, 3));
    // metered right after the caller was handed the last chunk
    Awaitility.await("metered on B").atMost(WAIT).until(() -> !finishedOnB.isEmpty());
    assertThat(finishedOnB).containsExactly(generation);
    assertThat(finishedOnA).isEmpty();
    Awaitility.await("rows removed once the answer is complete")
        .atMost(WAIT)
        .until(() -> rows(generation) == 0);
    assertThat(replicaA.chunk(node, generation.id(), last))
        .as("a repeat of the last chunk after the end")
        .isEqualTo(Generation.Accepted.REFUSED);
    assertThat(replicaB.held()).isZero();
  }

  @Test
  void chunksPostedToTheHoldingReplicaItselfAreTakenThere() throws Exception {
    Generation generation = submit(replicaB, "models/d-" + UUID.randomUUID(), null);
    replicaA.poll(node, poll(List.of(), 1), WAIT);
    assertThat(replicaB.chunk(node, generation.id(), GenerationChunk.text(0, "Hi", 1)))
        .isEqualTo(Generation.Accepted.TAKEN);
    assertThat(
            replicaB.chunk(
                node, generation.id(), GenerationChunk.last(1, "", 1, GenerationChunk.STOP, null)))
        .isEqualTo(Generation.Accepted.FINISHED);
    assertThat(generation.next(WAIT, WAIT).delta()).isEqualTo("Hi");
    assertThat(finishedOnB).containsExactly(generation);
    assertThat(rows(generation)).isZero();
  }

  @Test
  void onlyTheTakingNodeFeedsAGenerationAndAnAbandonedOneRefusesOnEitherReplica() throws Exception {
    Generation generation = submit(replicaB, "models/e-" + UUID.randomUUID(), null);
    replicaA.poll(node, poll(List.of(), 1), WAIT);
    for (GenerationRouter replica : List.of(replicaA, replicaB)) {
      assertThat(replica.chunk(UUID.randomUUID(), generation.id(), GenerationChunk.text(0, "x", 1)))
          .isEqualTo(Generation.Accepted.REFUSED);
    }
    replicaB.abandon(generation);
    for (GenerationRouter replica : List.of(replicaA, replicaB)) {
      assertThat(replica.chunk(node, generation.id(), GenerationChunk.text(0, "x", 1)))
          .isEqualTo(Generation.Accepted.REFUSED);
    }
    assertThat(rows(generation)).isZero();
  }

  @Test
  void aTakenGenerationWhoseNodeFallsSilentFailsWithTheReason() throws Exception {
    Generation generation = submit(replicaB, "models/f-" + UUID.randomUUID(), null);
    replicaA.poll(node, poll(List.of(), 1), WAIT);
    GenerationChunk failed = generation.next(WAIT, Duration.ofMillis(300));
    assertThat(failed.error()).contains("stopped answering");
  }

  /**
   * What the shared queue adds, printed: from queueing on B to a poll waiting on A having it, and
   * from a chunk posted to A (stored, NOTIFY) or to B itself (handed over in memory) to the caller
   * on B having it; medians of 20, every chunk arriving in order.
   */
  @Test
  void printsTheLatencyOfTakingAndOfChunksThroughAnotherReplica() throws Exception {
    List<Long> pickup = new ArrayList<>();
    List<Long> throughA = new ArrayList<>();
    List<Long> onB = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      CompletableFuture<List<GenerationRequest>> waiting = pollingA(1);
      Thread.sleep(50);
      long queued = System.nanoTime();
      Generation generation = submit(replicaB, "models/latency", null);
      assertThat(waiting.get()).extracting(GenerationRequest::id).containsExactly(generation.id());
      pickup.add(System.nanoTime() - queued);
      long posted = System.nanoTime();
      replicaA.chunk(node, generation.id(), GenerationChunk.text(0, "a", 1));
      assertThat(generation.next(WAIT, WAIT).delta()).isEqualTo("a");
      throughA.add(System.nanoTime() - posted);
      posted = System.nanoTime();
      replicaB.chunk(node, generation.id(), GenerationChunk.last(1, "b", 1, "stop", null));
      assertThat(generation.next(WAIT, WAIT).delta()).isEqualTo("b");
      onB.add(System.nanoTime() - posted);
    }
    System.out.printf(
        "shared queue, median of 20: queued on B to taken on A %.1f ms; chunk via A %.1f ms,"
            + " chunk on B %.2f ms%n",
        median(pickup), median(throughA), median(onB));
  }

  /** A node's poll waiting on replica A. */
  private CompletableFuture<List<GenerationRequest>> pollingA(int capacity) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return replicaA.poll(node, poll(List.of(), capacity), WAIT);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static double median(List<Long> nanos) {
    return nanos.stream().sorted().toList().get(nanos.size() / 2) / 1e6;
  }

  private static GenerationRouter router(List<Generation> finished) {
    GenerationRouter router =
        new GenerationRouter(
            TestDatabase.postgres().getPostgresDatabase(),
            new ServingProperties(
                Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(1)),
            Duration.ofMinutes(10));
    router.onFinished(finished::add);
    return router;
  }

  private static GenerationPoll poll(List<String> loaded, int capacity) {
    return new GenerationPoll(loaded, List.of(), capacity);
  }

  private static int rows(Generation generation) {
    return JdbcClient.create(database)
        .sql(
            "select (select count(*) from generation_request where id = ?)"
                + " + (select count(*) from generation_chunk where generation_id = ?)")
        .params(generation.id(), generation.id())
        .query(Integer.class)
        .single();
  }

  private static Generation submit(GenerationRouter router, String base, @Nullable String adapter) {
    GenerationRequest request =
        GenerationRequest.chat(
            UUID.randomUUID(),
            new ModelFiles(base, Map.of("config.json", "http://x/config.json")),
            adapter == null ? null : new ModelFiles(adapter, Map.of()),
            List.of(new PromptMessage("user", "hi")),
            16,
            0);
    ServedModel model =
        new ServedModel("m", tenant, UUID.randomUUID(), "base", null, request.baseModel(), null);
    return router.submit(request, model, "alice");
  }
}
