package dev.tuneforge.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A user's pause: a waiting job pauses at once, a running one at its node's next checkpoint; only
 * the user's resume puts it back in the queue, and a finished job refuses both.
 */
class UserPauseTest {
  private static final UUID NODE = UUID.randomUUID();
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  private static FineTuneJob queued() {
    FineTuneJob job =
        new FineTuneJob(
            "job",
            UUID.randomUUID(),
            FineTuneRequest.defaults(UUID.randomUUID(), UUID.randomUUID()),
            NOW);
    job.queue();
    return job;
  }

  private static FineTuneJob running() {
    FineTuneJob job = queued();
    job.assign(NODE, "node-1", NOW.plusSeconds(90));
    job.start(NODE, NOW.plusSeconds(90), NOW);
    return job;
  }

  @Test
  void aQueuedJobPausesAtOnceAndWaitsForItsUsersResume() {
    FineTuneJob job = queued();
    job.assign(NODE, "node-1", NOW.plusSeconds(90));

    assertThat(job.pauseByUser().log()).isEqualTo("Paused by user before it started");
    assertThat(job.getStatus()).isEqualTo(JobStatus.PAUSED);
    assertThat(job.getNodeId()).as("its node never gets it").isNull();
    assertThat(job.isPausedByUser()).isTrue();

    assertThat(job.resumeByUser().log()).isEqualTo("Resumed by user; back in the queue");
    assertThat(job.getStatus()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.isPausedByUser()).isFalse();
  }

  @Test
  void aRunningJobIsAskedToStopAtACheckpointAndPausesWhenItsNodeReports() {
    FineTuneJob job = running();
    job.checkpoint(NODE, 4);

    assertThat(job.pauseByUser().log()).isEqualTo("Stopping at a checkpoint: paused by user");
    assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
    assertThat(job.isPausedByUser()).isTrue();
    assertThat(job.pauseByUser().taken()).as("asked twice: nothing new").isTrue();

    assertThat(job.pause(NODE, null, 5, 500, NOW).log())
        .isEqualTo("Paused after 5 steps at checkpoint step-4: paused by user");
    assertThat(job.getStatus()).isEqualTo(JobStatus.PAUSED);
    assertThat(job.resumeByUser().log())
        .isEqualTo("Resumed by user; back in the queue to resume from checkpoint step-4");
  }

  @Test
  void aPauseNotYetCarriedOutCanBeWithdrawn() {
    FineTuneJob job = running();
    job.pauseByUser();

    assertThat(job.resumeByUser().log()).isEqualTo("Pause withdrawn by user");
    assertThat(job.isPausedByUser()).isFalse();
    assertThat(job.getHoldReason()).isNull();
    assertThat(job.getStatus()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void finishedAndQueuedJobsRefuseWhatDoesNotApply() {
    FineTuneJob done = running();
    done.succeed(NODE, "tenants/t/jobs/j/adapter/", 5, 500, NOW);
    assertThat(done.pauseByUser().refusal()).isEqualTo("cannot pause a job that is succeeded");
    assertThat(done.resumeByUser().refusal()).isEqualTo("cannot resume a job that is succeeded");
    assertThat(queued().resumeByUser().refusal()).isEqualTo("cannot resume a job that is queued");
  }
}
