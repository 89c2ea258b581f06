package dev.tuneforge.app.work;

import static dev.tuneforge.app.TestRows.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.synthetic.GenerationJob;
import dev.tuneforge.app.synthetic.GenerationStatus;
import dev.tuneforge.app.synthetic.SyntheticDataService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * Background work on its own bounded pool (3 threads, each tenant at most 2 of them by default):
 * with every background thread held, node liveness still marks a silent node offline on time, a
 * tenant with many runs leaves a thread to another tenant, and its runs beyond its share wait.
 */
@SpringBootTest
@ContextConfiguration(initializers = TestDatabase.class)
@Import(WorkRunnerIT.ProbeConfig.class)
class BackgroundPoolIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Autowired WorkRunner runner;
  @Autowired WorkExecution execution;
  @Autowired SyntheticDataService synthetic;
  @Autowired Blocker blocker;
  @Autowired JdbcClient jdbc;

  @Test
  void livenessRunsOnTimeWhileEveryBackgroundThreadIsBusyAndTenantsShareThePool() throws Exception {
    TestRows rows = new TestRows(jdbc);
    SignedInUser many = rows.member("pool-many");
    SignedInUser one = rows.member("pool-one");
    blocker.release = new CountDownLatch(1);
    List<UUID> manyRuns = List.of(row(many), row(many), row(many), row(many));
    as(
        many,
        () -> {
          manyRuns.forEach(run -> runner.submit(Blocker.KIND, run));
          return null;
        });
    await(() -> execution.running(many.tenantId()) == 2, "two of the first tenant's runs work");
    UUID oneRun = row(one);
    as(
        one,
        () -> {
          runner.submit(Blocker.KIND, oneRun);
          return null;
        });
    await(
        () -> execution.running(one.tenantId()) == 1,
        "the other tenant's run takes the thread left");

    // Every background thread is held now; a node that went silent is still marked offline.
    UUID node = rows.node("cpu", "CPU");
    await(
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
      await(() -> status(many, run).finished(), "every run ends");
    }
    await(() -> status(one, oneRun).finished(), "every run ends");
  }

  private UUID row(SignedInUser user) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into generation_job (id, tenant_id, dataset_name, document_kind, fields, row_count, seed, noise,"
                + " status, created_by, created_by_username, created_at) values (?, ?, 'block', 'RECEIPT', '[]', 1, 1, 0,"
                + " 'QUEUED', ?, ?, now())")
        .params(id, user.tenantId(), user.userId(), user.username())
        .update();
    return id;
  }

  private GenerationStatus status(SignedInUser user, UUID run) {
    return as(user, () -> synthetic.find(run).orElseThrow().getStatus());
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Not within " + TIMEOUT + ": " + what);
      }
      Thread.sleep(50);
    }
  }

  /** A kind with no limit of its own whose runs hold their thread until released. */
  static class Blocker implements TenantWork<GenerationJob> {
    static final WorkKind<GenerationJob> KIND =
        WorkKind.of("pool-blocker", GenerationJob.class).limitedTo(100, Duration.ofMillis(300));

    final Map<UUID, String> threads = new ConcurrentHashMap<>();
    volatile CountDownLatch release = new CountDownLatch(1);

    @Override
    public WorkKind<GenerationJob> kind() {
      return KIND;
    }

    @Override
    public void run(WorkContext<GenerationJob> work) throws Exception {
      threads.put(work.runId(), Thread.currentThread().getName());
      release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      work.update(run -> run.cancel("Released", work.now()));
    }
  }
}
