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
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.UsageKind;
import dev.tuneforge.app.usage.UsageRecord;
import dev.tuneforge.app.usage.UsageService;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ApplicationContext;

/**
 * A monthly budget reached mid-run loses nothing: the real node trains and uploads checkpoints; the
 * platform admin lowers the tenant's budget below what it has spent; the next heartbeat tells the
 * node to stop at a checkpoint, which it writes, uploads and reports; the job is paused with that
 * checkpoint; once the admin lifts the budget the job goes back in the queue, resumes from the
 * checkpoint and succeeds with no step run twice.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class BudgetIT {
  private static final int STEPS = 40;
  private static final int CHECKPOINT_EVERY = 5;
  private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(5);

  private Path dataDir;
  private LocalPlatform platform;
  private ApplicationContext app;
  private SignedInUser admin;
  private SignedInUser member;

  @RegisterExtension
  final PlatformTestSupport.RunningPlatform running =
      new PlatformTestSupport.RunningPlatform("tuneforge-budget-");

  @Test
  void aJobThatReachesItsBudgetStopsAtACheckpointAndResumesFromItWhenTheBudgetIsRaised()
      throws IOException {
    platform = running.start();
    dataDir = running.dataDir();
    app = platform.context();
    admin = principal(app, platform.adminUsername());
    Tenant tenant =
        as(admin, () -> app.getBean(TenantService.class).create("Budget Ltd " + suffix()));
    String username = "bea-" + suffix();
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

    await(
        jobId,
        "the first checkpoint in storage",
        job -> {
          if (job.getStatus().finished()) {
            fail(
                "The job ended "
                    + job.getStatus()
                    + " before its budget was lowered: "
                    + job.getError()
                    + "\n"
                    + eventLog(jobId));
          }
          return job.getStatus() == JobStatus.RUNNING && job.getLastCheckpointStep() != null;
        });
    setBudget(tenant, BigDecimal.ZERO);
    System.out.println("Budget set to 0 at step " + maxMetricStep(jobId) + " of " + STEPS);

    FineTuneJob paused =
        await(
            jobId,
            "the job paused at a checkpoint",
            job -> {
              if (job.getStatus().finished()) {
                fail(
                    "The job ended "
                        + job.getStatus()
                        + " instead of pausing; a node that ignores HeartbeatReply.stop"
                        + " runs on to the end.\n"
                        + eventLog(jobId));
              }
              return job.getStatus() == JobStatus.PAUSED;
            });
    int checkpoint = paused.getLastCheckpointStep();
    assertThat(checkpoint).isBetween(1, STEPS - 1);
    assertThat(paused.getSteps())
        .as("stopped right at the checkpoint it wrote")
        .isEqualTo(checkpoint);
    assertThat(paused.getHoldReason()).contains("monthly budget");
    assertThat(messages(jobId))
        .anyMatch(
            m ->
                m.startsWith(
                    "Stopping at a checkpoint: the tenant's monthly budget of 0.00 USD is spent"));
    assertThat(messages(jobId)).contains("checkpoint step-" + checkpoint + " saved");
    assertThat(checkpointFiles(tenant, jobId))
        .contains(
            ObjectKeys.jobCheckpoint(tenant.getId(), jobId, checkpoint) + JobFolder.TRAINER_STATE);
    List<UsageRecord> beforeResume = closedSegments(jobId);
    assertThat(beforeResume).hasSize(1).allMatch(r -> r.getEndedAt() != null);

    Ports.sleep(Duration.ofSeconds(8));
    assertThat(job(jobId).getStatus())
        .as("still over budget: stays paused")
        .isEqualTo(JobStatus.PAUSED);

    setBudget(tenant, null);
    FineTuneJob finished =
        await(jobId, "the resumed job to finish", job -> job.getStatus().finished());
    if (finished.getStatus() != JobStatus.SUCCEEDED) {
      fail(
          "The resumed job ended "
              + finished.getStatus()
              + ": "
              + finished.getError()
              + "\n"
              + eventLog(jobId));
    }
    assertThat(messages(jobId))
        .contains(
            "The budget allows it again; back in the queue to resume from checkpoint step-"
                + checkpoint);

    List<JobEventRecord> events = events(jobId);
    JobEventRecord resumed =
        events.stream()
            .filter(e -> e.getMessage() != null && e.getMessage().startsWith("resumed from step "))
            .findFirst()
            .orElseGet(() -> fail("No 'resumed from step N' event:\n" + eventLog(jobId)));
    int resumedFrom =
        Integer.parseInt(resumed.getMessage().substring("resumed from step ".length()).strip());
    assertThat(resumedFrom).as("resumes at the checkpoint it stopped at").isEqualTo(checkpoint);
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
        .as("no step up to the checkpoint runs again")
        .allMatch(step -> step > checkpoint);
    Set<Integer> allSteps =
        events.stream()
            .filter(e -> e.getType() == JobEvent.Type.METRIC && e.getStep() != null)
            .map(JobEventRecord::getStep)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(allSteps)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, STEPS).boxed().toList());
    assertThat(finished.getSteps()).isEqualTo(STEPS);

    List<UsageRecord> metered = closedSegments(jobId);
    assertThat(metered.stream().filter(r -> r.getKind() == UsageKind.TRAINING))
        .as("one segment per stretch on the node")
        .hasSize(2);
    assertThat(metered).allMatch(r -> r.getEndedAt() != null && r.getCost().signum() > 0);
    assertThat(metered.stream().mapToLong(UsageRecord::getTrainedTokens).sum())
        .isEqualTo(finished.getTrainedTokens());
    BigDecimal spent =
        app.getBean(BudgetService.class)
            .spend(tenant.getId(), app.getBean(BudgetService.class).currentMonth());
    System.out.println(
        "Paused at step-"
            + checkpoint
            + ", resumed, finished; metered "
            + metered.size()
            + " segments, "
            + spent.toPlainString()
            + " USD");
  }

  private void setBudget(Tenant tenant, BigDecimal budget) {
    as(admin, () -> app.getBean(TenantService.class).setMonthlyBudget(tenant.getId(), budget));
  }

  private FineTuneJob job(UUID jobId) {
    return as(member, () -> app.getBean(FineTuneService.class).find(jobId).orElseThrow());
  }

  private FineTuneJob await(UUID jobId, String what, Predicate<FineTuneJob> condition) {
    return PlatformTestSupport.await(
        platform, member, jobId, what, condition, PHASE_TIMEOUT, dataDir);
  }

  private List<UsageRecord> segments(UUID jobId) {
    return as(member, () -> app.getBean(UsageService.class).segments(jobId));
  }

  /** The job's segments once all are closed: metering hears of a lease's end after it commits. */
  private List<UsageRecord> closedSegments(UUID jobId) {
    return Awaitility.await("the job's usage segments closed")
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> segments(jobId),
            all -> !all.isEmpty() && all.stream().allMatch(r -> r.getEndedAt() != null));
  }

  private List<String> checkpointFiles(Tenant tenant, UUID jobId) {
    return as(
        member,
        () ->
            app.getBean(ObjectStorage.class)
                .tenantList(ObjectKeys.jobCheckpoints(tenant.getId(), jobId)));
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
    return PlatformTestSupport.eventLog(platform, member, jobId)
        + "\nNode log:\n"
        + PlatformTestSupport.tail(dataDir.resolve("logs/node.log"), 40);
  }
}
