package dev.tuneforge.app.synthetic;

import static dev.tuneforge.app.TestRows.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.SignedInUser;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.ContextConfiguration;

/**
 * Generation jobs on real PostgreSQL and Quartz: they run in the background, can be cancelled, fail
 * with a message that says why, and stay inside their tenant. Object storage is not reachable here
 * (see TestDatabase); the launcher's SyntheticDataIT stores a generated dataset.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
class GenerationJobIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Autowired SyntheticDataService synthetic;
  @Autowired GenerationUpdates updates;
  @Autowired JdbcClient jdbc;

  @AfterEach
  void signOut() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void aTenantSeesAndCancelsOnlyItsOwnGenerationJobs() {
    SignedInUser alice = member("alice");
    SignedInUser bob = member("bob");
    List<UUID> heardByBob = new CopyOnWriteArrayList<>();
    Runnable unregister = updates.register(bob.tenantId(), heardByBob::add);
    try {
      GenerationJob ofAlice = as(alice, () -> synthetic.start("receipts", spec(10)));
      GenerationJob ofBob = as(bob, () -> synthetic.start("receipts", spec(10)));

      assertThat(as(alice, synthetic::list))
          .extracting(GenerationJob::getId)
          .contains(ofAlice.getId())
          .doesNotContain(ofBob.getId());
      assertThat(as(bob, () -> synthetic.find(ofAlice.getId()))).isEmpty();
      assertThatThrownBy(() -> as(bob, () -> synthetic.cancel(ofAlice.getId())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("No such generation job");
      assertThat(synthetic.list()).as("nobody signed in sees nothing").isEmpty();
      UUID stamped =
          jdbc.sql("select tenant_id from generation_job where id = ?")
              .param(ofBob.getId())
              .query(UUID.class)
              .single();
      assertThat(stamped).isEqualTo(bob.tenantId());

      awaitFinished(alice, ofAlice.getId());
      awaitFinished(bob, ofBob.getId());
      assertThat(heardByBob).contains(ofBob.getId()).doesNotContain(ofAlice.getId());
    } finally {
      unregister.run();
    }
  }

  @Test
  void withoutObjectStorageTheJobFailsSayingSoAfterWritingEveryRow() {
    SignedInUser carol = member("carol");
    GenerationJob job = as(carol, () -> synthetic.start("invoices", spec(200)));
    assertThat(job.getStatus()).isEqualTo(GenerationStatus.QUEUED);
    GenerationJob done = awaitFinished(carol, job.getId());
    assertThat(done.getStatus()).isEqualTo(GenerationStatus.FAILED);
    assertThat(done.getError()).contains("Object storage is not reachable");
    assertThat(done.getRowsDone()).isEqualTo(200);
    assertThat(done.getDatasetVersionId()).isNull();
  }

  @Test
  void aRunningJobStopsWhenCancelledAndStoresNothing() {
    SignedInUser dave = member("dave");
    GenerationJob job = as(dave, () -> synthetic.start("big", spec(synthetic.maxRows())));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (as(dave, () -> synthetic.find(job.getId()).orElseThrow().getRowsDone()) == 0
        && System.nanoTime() < deadline) {
      sleep();
    }
    as(dave, () -> synthetic.cancel(job.getId()));
    GenerationJob done = awaitFinished(dave, job.getId());
    assertThat(done.getStatus()).isEqualTo(GenerationStatus.CANCELLED);
    assertThat(done.getRowsDone()).isBetween(1, synthetic.maxRows() - 1);
    assertThat(done.getError()).startsWith("Cancelled after");
  }

  @Test
  void aBadSpecIsRefusedBeforeAnythingIsQueued() {
    SignedInUser erin = member("erin");
    GenerationSpec noEnumValues =
        new GenerationSpec(
            List.of(new FieldSpec("status", FieldType.ENUM, "")), DocumentKind.EMAIL, 10, 1, 0);
    assertThatThrownBy(() -> as(erin, () -> synthetic.start("x", noEnumValues)))
        .hasMessage("Field 'status' is an enum: list its allowed values as examples");
    assertThatThrownBy(() -> as(erin, () -> synthetic.start(" ", spec(10))))
        .hasMessage("Give the dataset a name");
    assertThat(as(erin, synthetic::list)).isEmpty();
  }

  private static GenerationSpec spec(int count) {
    return new GenerationSpec(
        List.of(
            new FieldSpec("vendor", FieldType.COMPANY, "Seller"),
            new FieldSpec("total", FieldType.MONEY, "Total")),
        DocumentKind.RECEIPT,
        count,
        42,
        0.3);
  }

  private GenerationJob awaitFinished(SignedInUser user, UUID jobId) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      GenerationJob job = as(user, () -> synthetic.find(jobId).orElseThrow());
      if (job.getStatus().finished()) {
        return job;
      }
      sleep();
    }
    throw new AssertionError("generation " + jobId + " did not finish in " + TIMEOUT);
  }

  private SignedInUser member(String name) {
    return new TestRows(jdbc).member(name);
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
