package dev.tuneforge.launcher;

import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.suffix;

import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.protocol.JobEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.context.ApplicationContext;

/**
 * Kills the real training node (agent and training JVM, SIGKILL) at random moments of training and
 * starts it again at once, as a machine that crashes and reboots: each job must still succeed with
 * every step reported, and each kill must cost at most the steps since the last checkpoint the app
 * recorded, by the job's events.
 */
final class NodeKills {
  static final int STEPS = 24;
  static final int CHECKPOINT_EVERY = 3;
  static final int KILLS_PER_JOB = 2;

  /** Short leases, so a killed node's job is back in the queue within ~20 s. */
  static final Map<String, String> SHORT_LEASES =
      Map.of(
          "tuneforge.nodes.lease-duration", "10s",
          "tuneforge.nodes.heartbeat-timeout", "10s");

  private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(4);

  private NodeKills() {}

  /**
   * One kill: the step the app had seen, the checkpoint it had recorded, where training resumed.
   */
  record Kill(int job, int stepSeen, int checkpoint, int resumedFrom, Duration downtime) {
    int lost() {
      return stepSeen - resumedFrom;
    }
  }

  /** What a run measured. */
  record Figures(long seed, List<Kill> kills, Duration wall) {
    String summary() {
      int maxLost = kills.stream().mapToInt(Kill::lost).max().orElse(0);
      double meanLost = kills.stream().mapToInt(Kill::lost).average().orElse(0);
      double meanDown =
          kills.stream().mapToLong(k -> k.downtime().toMillis()).average().orElse(0) / 1000;
      return String.format(
          "Node kills: %d kills (seed %d) of the real node at random steps of %d jobs of %d steps,"
              + " checkpoint every %d; every job succeeded.%n"
              + "  steps lost per kill: mean %.1f, max %d (checkpoint interval %d)%n"
              + "  kill to training again: mean %.1f s; whole run %d s%n"
              + "  kills (job: step seen / checkpoint recorded / resumed from): %s",
          kills.size(),
          seed,
          kills.stream().mapToInt(Kill::job).max().orElse(-1) + 1,
          STEPS,
          CHECKPOINT_EVERY,
          meanLost,
          maxLost,
          CHECKPOINT_EVERY,
          meanDown,
          wall.toSeconds(),
          kills.stream()
              .map(
                  k -> k.job() + ": " + k.stepSeen() + "/" + k.checkpoint() + "/" + k.resumedFrom())
              .collect(Collectors.joining(", ")));
    }
  }

  /**
   * Runs {@code kills} kills, {@link #KILLS_PER_JOB} per job, one job after another, on a platform
   * started with its node and {@link #SHORT_LEASES}; fails with the job's events when a job does
   * not succeed, misses a step, or a kill cost more than the steps since the recorded checkpoint.
   */
  static Figures run(LocalPlatform platform, int kills, long seed) throws IOException {
    long started = System.nanoTime();
    Random random = new Random(seed);
    ApplicationContext app = platform.context();
    SignedInUser member =
        PlatformTestSupport.memberOfNewTenant(app, "Kills Ltd " + suffix(), "kim-" + suffix());
    DatasetSummary dataset =
        PlatformTestSupport.uploadReceipts(app, member, platform.dataDir(), 24);
    FineTuneService fineTunes = app.getBean(FineTuneService.class);
    List<Kill> done = new ArrayList<>();
    for (int job = 0; done.size() < kills; job++) {
      FineTuneRequest request =
          PlatformTestSupport.checkpointedRun(app, dataset, STEPS, CHECKPOINT_EVERY)
              .optEvaluation(null, 0)
              .build();
      UUID id = as(member, () -> fineTunes.create(request)).getId();
      int killsOfJob = Math.min(KILLS_PER_JOB, kills - done.size());
      for (int k = 0; k < killsOfJob; k++) {
        done.add(killOnce(platform, member, id, job, random));
      }
      FineTuneJob finished =
          PlatformTestSupport.awaitFinished(
              platform, member, id, PHASE_TIMEOUT, platform.dataDir());
      check(finished.getStatus() == JobStatus.SUCCEEDED, platform, member, id, "did not succeed");
      TreeSet<Integer> steps =
          PlatformTestSupport.events(platform, member, id).stream()
              .filter(e -> e.getType() == JobEvent.Type.METRIC && e.getStep() != null)
              .map(JobEventRecord::getStep)
              .collect(Collectors.toCollection(TreeSet::new));
      check(
          steps.equals(new TreeSet<>(IntStream.rangeClosed(1, STEPS).boxed().toList())),
          platform,
          member,
          id,
          "lacks some of steps 1.." + STEPS + ": " + steps);
    }
    return new Figures(seed, done, Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Waits for the job to reach a random step a little ahead of where it resumed, kills the node,
   * starts it again, and waits until training runs again to read where it resumed from.
   */
  private static Kill killOnce(
      LocalPlatform platform, SignedInUser member, UUID id, int job, Random random) {
    int from = PlatformTestSupport.maxMetricStep(platform, member, id);
    // leave room for the kill after this one and for the last steps
    int target = Math.min(STEPS - 2, from + 1 + random.nextInt(2 * CHECKPOINT_EVERY));
    PlatformTestSupport.await(
        platform,
        member,
        id,
        "step " + target + " before a kill",
        j -> {
          if (j.getStatus().finished()) {
            throw new AssertionError("job " + id + " ended " + j.getStatus() + " before a kill");
          }
          return PlatformTestSupport.maxMetricStep(platform, member, id) >= target;
        },
        PHASE_TIMEOUT,
        platform.dataDir());
    FineTuneJob before = as(member, () -> platformJob(platform, id));
    int stepSeen = PlatformTestSupport.maxMetricStep(platform, member, id);
    int checkpoint = before.getLastCheckpointStep() == null ? 0 : before.getLastCheckpointStep();
    long lastEvent =
        PlatformTestSupport.events(platform, member, id).stream()
            .mapToLong(JobEventRecord::getId)
            .max()
            .orElse(0);
    long killed = System.nanoTime();
    platform.killNode();
    platform.startNode("node");
    int[] resumed = {-1};
    PlatformTestSupport.await(
        platform,
        member,
        id,
        "training again after the kill at step " + stepSeen,
        j -> {
          resumed[0] = resumedAfter(platform, member, id, lastEvent);
          return resumed[0] >= 0 || j.getStatus().finished();
        },
        PHASE_TIMEOUT,
        platform.dataDir());
    Kill kill =
        new Kill(
            job, stepSeen, checkpoint, resumed[0], Duration.ofNanos(System.nanoTime() - killed));
    check(
        kill.resumedFrom() >= checkpoint && kill.lost() <= CHECKPOINT_EVERY,
        platform,
        member,
        id,
        "after a kill at step "
            + stepSeen
            + " with checkpoint step-"
            + checkpoint
            + " recorded, resumed from step "
            + kill.resumedFrom());
    return kill;
  }

  /**
   * The step of the first "resumed from step N" (0 for a fresh start) after event {@code after}.
   */
  private static int resumedAfter(
      LocalPlatform platform, SignedInUser member, UUID id, long after) {
    for (JobEventRecord event : PlatformTestSupport.events(platform, member, id)) {
      String message = event.getMessage();
      if (event.getId() <= after) {
        continue;
      }
      if (event.getType() == JobEvent.Type.METRIC && event.getStep() != null) {
        return 0;
      }
      if (message != null && message.startsWith("resumed from step ")) {
        return Integer.parseInt(message.substring("resumed from step ".length()).strip());
      }
    }
    return -1;
  }

  private static FineTuneJob platformJob(LocalPlatform platform, UUID id) {
    return platform.context().getBean(FineTuneService.class).find(id).orElseThrow();
  }

  private static void check(
      boolean holds, LocalPlatform platform, SignedInUser member, UUID id, String what) {
    if (!holds) {
      throw new AssertionError(
          "Job "
              + id
              + " "
              + what
              + "\nEvents:\n"
              + PlatformTestSupport.eventLog(platform, member, id)
              + "\nNode log:\n"
              + PlatformTestSupport.tail(platform.dataDir().resolve("logs/node.log"), 40));
    }
  }
}
