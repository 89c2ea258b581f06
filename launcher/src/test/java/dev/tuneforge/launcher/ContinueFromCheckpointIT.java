package dev.tuneforge.launcher;

import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.export.MergedExport;
import dev.tuneforge.app.export.MergedExportService;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.protocol.JobEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ApplicationContext;

/**
 * Incremental training with the real node: a job continued from another's checkpoint starts at that
 * checkpoint's step, its first losses are those the source had reached (far below the source's
 * first, which a fresh job would have), and the adapter it delivers loads onto the base (the node
 * merges it). Another tenant cannot continue from the job at all.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class ContinueFromCheckpointIT {
  private static final int SOURCE_STEPS = 20;
  private static final int CONTINUED_STEPS = 6;
  private static final Duration TIMEOUT = Duration.ofMinutes(6);

  private Path dataDir;
  private LocalPlatform platform;

  @RegisterExtension
  final PlatformTestSupport.RunningPlatform running =
      new PlatformTestSupport.RunningPlatform("tuneforge-continue-");

  @Test
  void aContinuedJobStartsAtItsSourcesStepAndLossAndDeliversAnAdapterThatLoads()
      throws IOException {
    platform = running.start();
    dataDir = running.dataDir();
    ApplicationContext app = platform.context();
    SignedInUser member =
        PlatformTestSupport.memberOfNewTenant(app, "Continue Ltd " + suffix(), "dora-" + suffix());
    SignedInUser stranger =
        PlatformTestSupport.userOfNewTenant(
            app, "Other Ltd " + suffix(), "eve-" + suffix(), Role.MEMBER);
    DatasetSummary dataset = PlatformTestSupport.uploadReceipts(app, member, dataDir, 40);
    FineTuneRequest.Builder settings =
        PlatformTestSupport.checkpointedRun(app, dataset, SOURCE_STEPS, 10)
            .optLearningRate(5e-3)
            .optWarmupRatio(0)
            .optEvaluation(null, 0);
    FineTuneService fineTunes = app.getBean(FineTuneService.class);
    UUID source =
        as(member, () -> fineTunes.create(settings.optMaxSteps(SOURCE_STEPS).build())).getId();
    FineTuneJob sourceDone =
        PlatformTestSupport.awaitFinished(platform, member, source, TIMEOUT, dataDir);
    assertThat(sourceDone.getStatus()).as(eventLog(member, source)).isEqualTo(JobStatus.SUCCEEDED);

    FineTuneRequest continuing =
        settings.optMaxSteps(CONTINUED_STEPS).optContinueFrom(source, SOURCE_STEPS).build();
    assertThatThrownBy(() -> as(stranger, () -> fineTunes.create(continuing)))
        .as("another tenant's job is not found")
        .hasMessageStartingWith("No such fine-tune to continue from");
    assertThatThrownBy(
            () ->
                as(
                    member,
                    () ->
                        fineTunes.create(
                            settings.optLora(8, 16, 0.0).optContinueFrom(source, null).build())))
        .hasMessageContaining("continue it with the same rank and target modules");

    UUID continued = as(member, () -> fineTunes.create(continuing)).getId();
    FineTuneJob done =
        PlatformTestSupport.awaitFinished(platform, member, continued, TIMEOUT, dataDir);
    assertThat(done.getStatus()).as(eventLog(member, continued)).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(done.getContinuedFromJobId()).isEqualTo(source);
    assertThat(done.getContinuedFromStep()).isEqualTo(SOURCE_STEPS);
    assertThat(done.getSteps()).isEqualTo(SOURCE_STEPS + CONTINUED_STEPS);
    assertThat(PlatformTestSupport.messages(platform, member, continued))
        .contains(
            "continued from step "
                + SOURCE_STEPS
                + " of job "
                + source
                + ", with its optimizer state");
    assertThat(as(member, () -> fineTunes.continuedBy(source)))
        .extracting(FineTuneJob::getId)
        .containsExactly(continued);

    List<JobEventRecord> sourceMetrics = metrics(member, source);
    List<JobEventRecord> continuedMetrics = metrics(member, continued);
    assertThat(continuedMetrics.getFirst().getStep()).isEqualTo(SOURCE_STEPS + 1);
    assertThat(continuedMetrics.getLast().getStep()).isEqualTo(SOURCE_STEPS + CONTINUED_STEPS);
    double sourceFirst = meanLoss(sourceMetrics.subList(0, 3));
    double sourceLast = meanLoss(sourceMetrics.subList(SOURCE_STEPS - 3, SOURCE_STEPS));
    double continuedFirst = continuedMetrics.getFirst().getLoss();
    System.out.printf(
        "Source loss %.3f (mean of its first 3 steps) to %.3f (last 3); continued job's first"
            + " step %.3f%n",
        sourceFirst, sourceLast, continuedFirst);
    double learned = sourceFirst - sourceLast;
    assertThat(learned).as("the source learned").isGreaterThan(0.1 * sourceFirst);
    assertThat(Math.abs(continuedFirst - sourceLast))
        .as("the continued job starts near the source's last loss, far from a fresh start's")
        .isLessThan(0.3 * learned);

    as(member, () -> app.getBean(MergedExportService.class).start(continued));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    MergedExport merge;
    do {
      Ports.sleep(Duration.ofMillis(500));
      merge =
          as(member, () -> app.getBean(MergedExportService.class).find(continued)).orElseThrow();
    } while (!merge.finished() && System.nanoTime() < deadline);
    assertThat(merge.getStatus())
        .as("the node merged the continued job's adapter into its base: %s", merge.getError())
        .isEqualTo(MergedExport.SUCCEEDED);
  }

  private List<JobEventRecord> metrics(SignedInUser user, UUID job) {
    return PlatformTestSupport.events(platform, user, job).stream()
        .filter(e -> e.getType() == JobEvent.Type.METRIC && e.getLoss() != null)
        .sorted(Comparator.comparing(JobEventRecord::getStep))
        .toList();
  }

  private static double meanLoss(List<JobEventRecord> events) {
    return events.stream().mapToDouble(JobEventRecord::getLoss).average().orElseThrow();
  }

  private String eventLog(SignedInUser user, UUID job) {
    return PlatformTestSupport.eventLog(platform, user, job);
  }
}
