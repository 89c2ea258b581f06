package dev.tuneforge.launcher;

import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.principal;
import static dev.tuneforge.launcher.PlatformTestSupport.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ApplicationContext;

/**
 * A node that dies mid-job costs at most the steps since the last checkpoint: the real node uploads
 * checkpoints while it trains, is killed (agent and training JVM, SIGKILL), the job's lease runs
 * out and it goes back to the queue, and a replacement node (fresh work folder, so nothing but
 * object storage carries over) resumes it from the last uploaded checkpoint.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class NodeLossResumeIT {
  private static final int STEPS = 40;
  private static final int CHECKPOINT_EVERY = 5;
  private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(6);

  private Path dataDir;
  private LocalPlatform platform;
  private ApplicationContext app;
  private SignedInUser member;

  @RegisterExtension
  final PlatformTestSupport.RunningPlatform running =
      new PlatformTestSupport.RunningPlatform("tuneforge-resume-");

  @Test
  void aJobWhoseNodeDiesResumesOnTheNextNodeFromItsLastUploadedCheckpoint() throws IOException {
    long started = System.nanoTime();
    // Short leases so that a dead node's job is back in the queue within ~25 s, not minutes.
    platform =
        running.start(
            settings ->
                settings.withAppProperties(
                    Map.of(
                        "tuneforge.nodes.lease-duration", "12s",
                        "tuneforge.nodes.heartbeat-timeout", "12s")));
    dataDir = running.dataDir();
    app = platform.context();
    SignedInUser admin = principal(app, platform.adminUsername());
    Tenant tenant =
        as(admin, () -> app.getBean(TenantService.class).create("Resume Ltd " + suffix()));
    String username = "carol-" + suffix();
    as(
        admin,
        () ->
            app.getBean(AccountService.class)
                .create(tenant.getId(), username, username, "correct-horse-1", Role.MEMBER));
    member = principal(app, username);

    DatasetSummary dataset = PlatformTestSupport.uploadReceipts(app, member, dataDir, 40);
    FineTuneRequest request =
        PlatformTestSupport.checkpointedRun(app, dataset, STEPS, CHECKPOINT_EVERY).build();
    UUID jobId = as(member, () -> app.getBean(FineTuneService.class).create(request)).getId();

    FineTuneJob beforeKill =
        await(
            jobId,
            "a checkpoint recorded with the metrics up to it",
            job -> {
              if (job.getStatus().finished()) {
                fail(
                    "The job ended "
                        + job.getStatus()
                        + " before the node could be killed: "
                        + job.getError()
                        + "\nEvents:\n"
                        + eventLog(jobId));
              }
              Integer checkpoint = job.getLastCheckpointStep();
              return checkpoint != null && checkpoint < STEPS && maxMetricStep(jobId) >= checkpoint;
            });
    int checkpointAtKill = beforeKill.getLastCheckpointStep();
    platform.killNode();
    long killed = System.nanoTime();
    System.out.println(
        "Killed the node after checkpoint step-"
            + checkpointAtKill
            + " and step "
            + maxMetricStep(jobId)
            + " of "
            + STEPS);

    FineTuneJob requeued =
        await(jobId, "the job back in the queue", job -> job.getStatus() == JobStatus.QUEUED);
    System.out.println(
        "Back in the queue "
            + Duration.ofNanos(System.nanoTime() - killed).toSeconds()
            + " s after the kill");
    assertThat(requeued.getNodeId()).isNull();
    assertThat(messages(jobId)).contains("Its node stopped answering; back in the queue");

    platform.startNode("replacement-node");
    FineTuneJob finished = await(jobId, "the job to finish", job -> job.getStatus().finished());
    if (finished.getStatus() != JobStatus.SUCCEEDED) {
      fail(
          "The resumed job ended "
              + finished.getStatus()
              + ": "
              + finished.getError()
              + "\nEvents:\n"
              + eventLog(jobId)
              + "\nNode log:\n"
              + PlatformTestSupport.tail(dataDir.resolve("logs/node.log"), 60));
    }

    List<JobEventRecord> events = events(jobId);
    JobEventRecord resumed =
        events.stream()
            .filter(e -> e.getMessage() != null && e.getMessage().startsWith("resumed from step "))
            .findFirst()
            .orElseGet(() -> fail("No 'resumed from step N' event:\n" + eventLog(jobId)));
    int resumedFrom =
        Integer.parseInt(resumed.getMessage().substring("resumed from step ".length()).strip());
    assertThat(resumedFrom)
        .as("the resume starts at the last uploaded checkpoint")
        .isGreaterThanOrEqualTo(checkpointAtKill)
        .isLessThan(STEPS);
    assertThat(resumedFrom % CHECKPOINT_EVERY).isZero();

    List<Integer> stepsAfterResume =
        events.stream()
            .filter(
                e ->
                    e.getId() > resumed.getId()
                        && e.getType() == JobEvent.Type.METRIC
                        && e.getStep() != null)
            .map(JobEventRecord::getStep)
            .toList();
    assertThat(stepsAfterResume)
        .as("no step up to the checkpoint runs twice")
        .allMatch(step -> step > resumedFrom);
    assertThat(new TreeSet<>(stepsAfterResume))
        .containsExactlyElementsOf(IntStream.rangeClosed(resumedFrom + 1, STEPS).boxed().toList());
    Set<Integer> allSteps =
        events.stream()
            .filter(e -> e.getType() == JobEvent.Type.METRIC && e.getStep() != null)
            .map(JobEventRecord::getStep)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(allSteps)
        .as("the two runs together cover every step")
        .containsExactlyElementsOf(IntStream.rangeClosed(1, STEPS).boxed().toList());
    assertThat(finished.getSteps()).isEqualTo(STEPS);
    assertThat(finished.getLastCheckpointStep()).isEqualTo(STEPS);
    assertThat(messages(jobId))
        .contains(
            "checkpoint step-" + checkpointAtKill + " saved",
            "checkpoint step-" + STEPS + " saved");

    as(
        member,
        () -> {
          assertThat(app.getBean(FineTuneService.class).adapterFiles(jobId))
              .extracting(key -> key.substring(key.lastIndexOf('/') + 1))
              .containsExactlyInAnyOrder("adapter_config.json", "adapter_model.safetensors");
          String checkpoints = ObjectKeys.jobCheckpoints(tenant.getId(), jobId);
          assertThat(app.getBean(ObjectStorage.class).tenantList(checkpoints))
              .contains(
                  ObjectKeys.jobCheckpoint(tenant.getId(), jobId, resumedFrom)
                      + JobFolder.TRAINER_STATE,
                  ObjectKeys.jobCheckpoint(tenant.getId(), jobId, STEPS)
                      + JobFolder.OPTIMIZER_STATE);
          return null;
        });
    System.out.println(
        "Resumed from step "
            + resumedFrom
            + "; the whole run took "
            + Duration.ofNanos(System.nanoTime() - started).toSeconds()
            + " s");
  }

  private FineTuneJob await(UUID jobId, String what, Predicate<FineTuneJob> condition) {
    return PlatformTestSupport.await(
        platform, member, jobId, what, condition, PHASE_TIMEOUT, dataDir);
  }

  private List<JobEventRecord> events(UUID jobId) {
    return PlatformTestSupport.events(platform, member, jobId);
  }

  private List<String> messages(UUID jobId) {
    return PlatformTestSupport.messages(platform, member, jobId);
  }

  private int maxMetricStep(UUID jobId) {
    return PlatformTestSupport.maxMetricStep(platform, member, jobId);
  }

  private String eventLog(UUID jobId) {
    return PlatformTestSupport.eventLog(platform, member, jobId);
  }
}
