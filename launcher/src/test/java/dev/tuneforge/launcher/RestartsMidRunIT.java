package dev.tuneforge.launcher;

import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.suffix;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.protocol.JobEvent;
import java.time.Duration;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ApplicationContext;

/**
 * The platform's object store and then its PostgreSQL restarted while the real node trains a job:
 * the app and the node ride both out (the node keeps its events and retries its calls), the job's
 * progress stops reaching the app while the database is down and resumes after, and the job
 * succeeds with every step recorded. Prints how long the job's progress paused.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class RestartsMidRunIT {
  private static final int STEPS = 60;
  private static final int CHECKPOINT_EVERY = 5;
  private static final Duration DOWNTIME = Duration.ofSeconds(10);
  private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(5);

  @RegisterExtension
  final PlatformTestSupport.RunningPlatform running =
      new PlatformTestSupport.RunningPlatform("tuneforge-restart-");

  private LocalPlatform platform;
  private SignedInUser member;

  @Test
  void aTrainingJobRidesOutRestartsOfTheDatabaseAndTheObjectStore() throws Exception {
    platform = running.start();
    ApplicationContext app = platform.context();
    member =
        PlatformTestSupport.memberOfNewTenant(app, "Restart Ltd " + suffix(), "rai-" + suffix());
    DatasetSummary dataset =
        PlatformTestSupport.uploadReceipts(app, member, platform.dataDir(), 40);
    FineTuneRequest request =
        PlatformTestSupport.checkpointedRun(app, dataset, STEPS, CHECKPOINT_EVERY)
            .optEvaluation(null, 0)
            .build();
    FineTuneService fineTunes = app.getBean(FineTuneService.class);
    UUID id = as(member, () -> fineTunes.create(request)).getId();

    // The object store first, down from the step before a checkpoint on, so that the checkpoint's
    // upload meets the outage; then the database, while the job still has steps to go (a node
    // keeps training while the database is down, and on an idle machine it may finish meanwhile).
    int beforeCheckpoint = CHECKPOINT_EVERY - 1;
    Duration storagePause =
        pauseAcross(id, beforeCheckpoint, () -> platform.restartStorage(DOWNTIME));
    int databaseStep = Math.min(maxStep(id) + 1, STEPS - 1);
    Duration databasePause =
        pauseAcross(id, databaseStep, () -> platform.restartDatabase(DOWNTIME));

    FineTuneJob finished =
        PlatformTestSupport.awaitFinished(platform, member, id, PHASE_TIMEOUT, platform.dataDir());
    assertThat(finished.getStatus()).as(eventLog(id)).isEqualTo(JobStatus.SUCCEEDED);
    TreeSet<Integer> steps =
        PlatformTestSupport.events(platform, member, id).stream()
            .filter(e -> e.getType() == JobEvent.Type.METRIC && e.getStep() != null)
            .map(JobEventRecord::getStep)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(steps)
        .as("every step reached the app, those sent while the database was down too")
        .containsExactlyElementsOf(IntStream.rangeClosed(1, STEPS).boxed().toList());
    assertThat(platform.nodeAlive()).as("the node rode out both restarts").isTrue();
    assertThat(finished.getLastCheckpointStep())
        .as("checkpoints reach storage again after its restart")
        .isEqualTo(STEPS);
    long lostCheckpoints =
        PlatformTestSupport.messages(platform, member, id).stream()
            .filter(m -> m.startsWith("could not upload checkpoint"))
            .count();
    System.out.printf(
        "Restarts mid-run (each down %d s): the job's progress reached the app again %.1f s after"
            + " the database went down and %.1f s after the object store went down (from step %d,"
            + " %d checkpoint(s) not uploaded meanwhile); it succeeded with all %d steps.%n",
        DOWNTIME.toSeconds(),
        databasePause.toMillis() / 1000.0,
        storagePause.toMillis() / 1000.0,
        beforeCheckpoint,
        lostCheckpoints,
        STEPS);
  }

  /**
   * Waits for the job to reach {@code step}, runs the restart, and returns how long from the start
   * of the restart until the app records a step it had not seen before.
   */
  private Duration pauseAcross(UUID id, int step, Runnable restart) throws InterruptedException {
    PlatformTestSupport.await(
        platform,
        member,
        id,
        "step " + step,
        job -> maxStep(id) >= step,
        PHASE_TIMEOUT,
        platform.dataDir());
    int seen = maxStep(id);
    long down = System.nanoTime();
    Thread restarter = Thread.ofPlatform().name("restart").start(restart);
    long deadline = down + PHASE_TIMEOUT.toNanos();
    Duration pause = null;
    while (pause == null && System.nanoTime() < deadline) {
      try {
        FineTuneJob job = as(member, () -> platformJob(id));
        if (maxStep(id) > seen || job.getStatus().finished()) {
          pause = Duration.ofNanos(System.nanoTime() - down);
        }
      } catch (RuntimeException stillDown) {
        // the app's connections come back with the database
      }
      Ports.sleep(Duration.ofMillis(250));
    }
    restarter.join();
    if (pause == null) {
      throw new AssertionError(
          "No progress past step " + seen + " after the restart\n" + eventLog(id));
    }
    return pause;
  }

  private FineTuneJob platformJob(UUID id) {
    return platform.context().getBean(FineTuneService.class).find(id).orElseThrow();
  }

  private int maxStep(UUID id) {
    return PlatformTestSupport.maxMetricStep(platform, member, id);
  }

  private String eventLog(UUID id) {
    return PlatformTestSupport.eventLog(platform, member, id)
        + "\nNode log:\n"
        + PlatformTestSupport.tail(platform.dataDir().resolve("logs/node.log"), 40);
  }
}
