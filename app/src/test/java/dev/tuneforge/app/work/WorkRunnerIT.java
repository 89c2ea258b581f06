package dev.tuneforge.app.work;

import static dev.tuneforge.app.TestRows.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.synthetic.GenerationJob;
import dev.tuneforge.app.synthetic.GenerationStatus;
import dev.tuneforge.app.synthetic.SyntheticDataService;
import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * The runner on real PostgreSQL and Quartz, with a probe kind whose runs are generation-job rows
 * (any {@link WorkRun} table serves): what the probe does is named by the row's dataset name. Its
 * own bounded pool (3 threads, each tenant at most 2 of them by default) is proven with a kind
 * whose runs hold their thread: node liveness still runs on time, tenants share the threads; a
 * tenant's quota holds across replicas, and a dead replica's share comes back.
 */
@SpringBootTest
@ContextConfiguration(initializers = TestDatabase.class)
@Import(WorkRunnerIT.ProbeConfig.class)
class WorkRunnerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Autowired WorkRunner runner;
  @Autowired WorkExecution execution;
  @Autowired SyntheticDataService synthetic;
  @Autowired Probe probe;
  @Autowired Blocker blocker;
  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;

  @Test
  void aRunWorksAsItsTenantAndUserAndItsFailureIsRecordedWithTheReason() {
    SignedInUser alice = new TestRows(jdbc).member("alice");
    UUID run = row(alice, "fail");

    asRun(alice, () -> runner.submit(Probe.KIND, run));

    GenerationJob done = awaitFinished(alice, run);
    assertThat(done.getStatus()).isEqualTo(GenerationStatus.FAILED);
    assertThat(done.getError()).isEqualTo("The probe broke on purpose");
    assertThat(done.getFinishedAt()).isNotNull();
    assertThat(probe.seen.get(run)).isEqualTo(alice.tenantId() + " " + alice.username());
  }

  @Test
  void aKindLimitedToOneRunsOneAtATimeAndTheSecondComesBackLater() throws Exception {
    SignedInUser bob = new TestRows(jdbc).member("bob");
    UUID first = row(bob, "block");
    UUID second = row(bob, "block");
    probe.release = new CountDownLatch(1);
    probe.started = new CountDownLatch(1);

    // Straight through the runner: the second is turned away at once, not parked on a thread.
    CompletableFuture<Optional<Duration>> running =
        CompletableFuture.supplyAsync(
            () -> execution.runIfFree(Probe.KIND.name(), bob.tenantId(), first));
    assertThat(probe.started.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(execution.runIfFree(Probe.KIND.name(), bob.tenantId(), second))
        .contains(Probe.RETRY);
    assertThat(status(bob, second)).isEqualTo(GenerationStatus.QUEUED);
    probe.release.countDown();
    assertThat(running.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEmpty();

    // Through Quartz: both queued at once, the second starts after the first ends.
    UUID third = row(bob, "block");
    UUID fourth = row(bob, "block");
    probe.release = new CountDownLatch(1);
    probe.started = new CountDownLatch(1);
    asRun(
        bob,
        () -> {
          runner.submit(Probe.KIND, third);
          runner.submit(Probe.KIND, fourth);
        });
    assertThat(probe.started.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    Thread.sleep(3 * Probe.RETRY.toMillis());
    assertThat(List.of(status(bob, third), status(bob, fourth)))
        .as("one running, the other still queued after several tries")
        .containsExactlyInAnyOrder(GenerationStatus.RUNNING, GenerationStatus.QUEUED);
    probe.release.countDown();
    GenerationJob a = awaitFinished(bob, third);
    GenerationJob b = awaitFinished(bob, fourth);
    GenerationJob earlier = a.getStartedAt().isBefore(b.getStartedAt()) ? a : b;
    GenerationJob later = earlier == a ? b : a;
    assertThat(later.getStartedAt()).isAfterOrEqualTo(earlier.getFinishedAt());
    assertThat(probe.mostAtOnce.get()).isEqualTo(1);
  }

  @Test
  void cancellationReachesTheRunningTaskAndOneAskedBeforeTheStartEndsItUnrun() {
    SignedInUser carol = new TestRows(jdbc).member("carol");
    UUID run = row(carol, "wait-for-cancel");
    asRun(carol, () -> runner.submit(Probe.KIND, run));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (status(carol, run) != GenerationStatus.RUNNING && System.nanoTime() < deadline) {
      sleep();
    }
    as(carol, () -> synthetic.cancel(run));
    GenerationJob done = awaitFinished(carol, run);
    assertThat(done.getStatus()).isEqualTo(GenerationStatus.CANCELLED);
    assertThat(done.getError()).isEqualTo("The probe saw the cancel");

    UUID early = row(carol, "fail");
    jdbc.sql("update generation_job set cancel_requested = true where id = ?")
        .param(early)
        .update();
    asRun(carol, () -> runner.runHere(Probe.KIND, early));
    GenerationJob unrun = as(carol, () -> synthetic.find(early).orElseThrow());
    assertThat(unrun.getStatus()).isEqualTo(GenerationStatus.CANCELLED);
    assertThat(unrun.getError()).isEqualTo("Cancelled before it started");
    assertThat(probe.seen).doesNotContainKey(early);
  }

  @Test
  void aRunThatAsksToComeBackLaterRunsAgain() {
    SignedInUser dave = new TestRows(jdbc).member("dave");
    UUID run = row(dave, "later-then-fail");
    asRun(dave, () -> runner.submit(Probe.KIND, run));
    GenerationJob done = awaitFinished(dave, run);
    assertThat(done.getError()).isEqualTo("The probe broke on purpose");
    assertThat(probe.tries.get(run)).isEqualTo(2);
  }

  @Test
  void aRunWhoseRowIsDeletedBeforeItsLastSaveEndsQuietly() {
    SignedInUser erin = new TestRows(jdbc).member("erin");
    UUID run = row(erin, "deleted-meanwhile");
    probe.deleteElsewhere =
        id ->
            CompletableFuture.runAsync(
                    () -> jdbc.sql("delete from generation_job where id = ?").param(id).update())
                .join();

    assertThat(execution.runIfFree(Probe.KIND.name(), erin.tenantId(), run)).isEmpty();

    assertThat(probe.lastSave.get(run)).as("the work's last save, as it saw it").isEqualTo("gone");
    assertThat(
            jdbc.sql("select count(*) from generation_job where id = ?")
                .param(run)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void livenessRunsOnTimeWhileEveryBackgroundThreadIsBusyAndTenantsShareThePool() throws Exception {
    TestRows rows = new TestRows(jdbc);
    SignedInUser many = rows.member("pool-many");
    SignedInUser one = rows.member("pool-one");
    blocker.release = new CountDownLatch(1);
    List<UUID> manyRuns =
        List.of(row(many, "block"), row(many, "block"), row(many, "block"), row(many, "block"));
    as(
        many,
        () -> {
          manyRuns.forEach(run -> runner.submit(Blocker.KIND, run));
          return null;
        });
    until(() -> execution.running(many.tenantId()) == 2, "two of the first tenant's runs work");
    UUID oneRun = row(one, "block");
    as(
        one,
        () -> {
          runner.submit(Blocker.KIND, oneRun);
          return null;
        });
    until(
        () -> execution.running(one.tenantId()) == 1,
        "the other tenant's run takes the thread left");

    // Every background thread is held now; a node that went silent is still marked offline.
    UUID node = rows.node("cpu", "CPU");
    until(
        () ->
            "offline"
                .equals(
                    jdbc.sql("select state from training_node where id = ?")
                        .param(node)
                        .query(String.class)
                        .single()),
        "liveness marks the silent node offline within its 10 s tick");
    assertThat(blocker.threads.values())
        .hasSize(3)
        .allMatch(name -> name.startsWith(BackgroundScheduler.THREAD_PREFIX));
    assertThat(manyRuns.stream().filter(run -> status(many, run) == GenerationStatus.QUEUED))
        .as("runs beyond the tenant's share of 2 wait")
        .hasSize(2);

    blocker.release.countDown();
    for (UUID run : manyRuns) {
      until(() -> status(many, run).finished(), "every run ends");
    }
    until(() -> status(one, oneRun).finished(), "every run ends");
  }

  @Test
  void anotherReplicasRunsCountAgainstTheQuotaAndADeadReplicasSlotsFreeThemselves()
      throws InterruptedException {
    SignedInUser erin = new TestRows(jdbc).member("erin");
    // a second app replica on this database, working on two of erin's runs (her quota is 2)
    BackgroundSlots otherReplica = new BackgroundSlots(dataSource);
    BackgroundSlots.Slot first = otherReplica.take(erin.tenantId(), 2).orElseThrow();
    BackgroundSlots.Slot second = otherReplica.take(erin.tenantId(), 2).orElseThrow();
    assertThat(otherReplica.take(erin.tenantId(), 2)).as("a third over the quota").isEmpty();
    assertThat(execution.running(erin.tenantId())).isEqualTo(2);

    UUID run = row(erin, "fail");
    assertThat(execution.runIfFree(Probe.KIND.name(), erin.tenantId(), run))
        .as("this replica's run waits while the other holds her quota")
        .contains(Probe.RETRY);
    assertThat(status(erin, run)).isEqualTo(GenerationStatus.QUEUED);

    first.close();
    assertThat(execution.runIfFree(Probe.KIND.name(), erin.tenantId(), run)).isEmpty();
    assertThat(status(erin, run))
        .as("it ran once a slot was free")
        .isEqualTo(GenerationStatus.FAILED);

    // the other replica takes the slot again and dies: its database sessions end, unlocking nothing
    BackgroundSlots.Slot again = otherReplica.take(erin.tenantId(), 2).orElseThrow();
    UUID next = row(erin, "fail");
    assertThat(execution.runIfFree(Probe.KIND.name(), erin.tenantId(), next)).contains(Probe.RETRY);
    jdbc.sql(
            "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory'"
                + " and granted and objsubid = 1 and (classid::bigint << 32 | objid::bigint) in (?, ?)")
        .params(BackgroundSlots.key(erin.tenantId(), 0), BackgroundSlots.key(erin.tenantId(), 1))
        .query()
        .listOfRows();
    // pg_terminate_backend only signals the sessions; they end, and free the slots, a moment later
    until(() -> execution.running(erin.tenantId()) == 0, "the dead replica's slots are free");
    assertThat(execution.runIfFree(Probe.KIND.name(), erin.tenantId(), next)).isEmpty();
    assertThat(status(erin, next)).isEqualTo(GenerationStatus.FAILED);
    // the pool drops the dead sessions' connections
    second.close();
    again.close();
  }

  private static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Not within " + TIMEOUT + ": " + what);
      }
      Thread.sleep(50);
    }
  }

  private UUID row(SignedInUser user, String mode) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into generation_job (id, tenant_id, dataset_name, document_kind, fields, row_count, seed, noise,"
                + " status, created_by, created_by_username, created_at) values (?, ?, ?, 'RECEIPT', '[]', 1, 1, 0,"
                + " 'QUEUED', ?, ?, now())")
        .params(id, user.tenantId(), mode, user.userId(), user.username())
        .update();
    return id;
  }

  private static void asRun(SignedInUser user, Runnable work) {
    as(
        user,
        () -> {
          work.run();
          return null;
        });
  }

  private GenerationStatus status(SignedInUser user, UUID run) {
    return as(user, () -> synthetic.find(run).orElseThrow().getStatus());
  }

  private GenerationJob awaitFinished(SignedInUser user, UUID run) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      GenerationJob job = as(user, () -> synthetic.find(run).orElseThrow());
      if (job.getStatus().finished()) {
        return job;
      }
      sleep();
    }
    throw new AssertionError("run " + run + " did not finish in " + TIMEOUT);
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @TestConfiguration
  static class ProbeConfig {
    @Bean
    Probe probe() {
      return new Probe();
    }

    @Bean
    Blocker blocker() {
      return new Blocker();
    }
  }

  /** A kind limited to one run at a time that does what its run's dataset name says. */
  static class Probe implements TenantWork<GenerationJob> {
    static final Duration RETRY = Duration.ofMillis(300);
    static final WorkKind<GenerationJob> KIND =
        WorkKind.of("probe", GenerationJob.class).limitedTo(1, RETRY);

    final Map<UUID, String> seen = new ConcurrentHashMap<>();
    final Map<UUID, Integer> tries = new ConcurrentHashMap<>();
    final Map<UUID, String> lastSave = new ConcurrentHashMap<>();
    volatile Consumer<UUID> deleteElsewhere = id -> {};
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    volatile CountDownLatch started = new CountDownLatch(1);
    volatile CountDownLatch release = new CountDownLatch(1);

    @Override
    public WorkKind<GenerationJob> kind() {
      return KIND;
    }

    @Override
    public void run(WorkContext<GenerationJob> work) throws Exception {
      UUID id = work.runId();
      seen.put(id, TenantContext.requireTenant() + " " + work.actingUser().username());
      int attempt = tries.merge(id, 1, Integer::sum);
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        switch (work.run().getDatasetName()) {
          case "fail" -> throw new IllegalStateException("The probe broke on purpose");
          case "later-then-fail" -> {
            if (attempt == 1) {
              throw new TryLater("not yet", RETRY);
            }
            throw new WorkFailed("The probe broke on purpose");
          }
          case "block" -> {
            started.countDown();
            release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            work.update(run -> run.cancel("Released", work.now()));
          }
          case "wait-for-cancel" -> {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!work.cancelRequested() && System.nanoTime() < deadline) {
              Thread.sleep(20);
            }
            work.update(run -> run.cancel("The probe saw the cancel", work.now()));
          }
          case "deleted-meanwhile" -> {
            GenerationJob saved =
                work.update(
                    run -> {
                      deleteElsewhere.accept(run.getId());
                      run.cancel("Saved over a deleted row", work.now());
                    });
            lastSave.put(id, saved == null ? "gone" : "saved");
          }
          default -> throw new IllegalArgumentException(work.run().getDatasetName());
        }
      } finally {
        running.decrementAndGet();
      }
    }
  }

  /**
   * The probe as a kind with no limit of its own (runs on {@code block} hold their thread until
   * released), recording which thread each run had.
   */
  static class Blocker extends Probe {
    static final WorkKind<GenerationJob> KIND =
        WorkKind.of("pool-blocker", GenerationJob.class).limitedTo(100, RETRY);

    final Map<UUID, String> threads = new ConcurrentHashMap<>();

    @Override
    public WorkKind<GenerationJob> kind() {
      return KIND;
    }

    @Override
    public void run(WorkContext<GenerationJob> work) throws Exception {
      threads.put(work.runId(), Thread.currentThread().getName());
      super.run(work);
    }
  }
}
