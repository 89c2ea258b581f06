package dev.tuneforge.app.finetune;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The fine-tune lifecycle, read from one table: every transition from every state. */
class FineTuneJobTest {
  private static final UUID NODE = UUID.randomUUID();
  private static final UUID OTHER_NODE = UUID.randomUUID();
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final Instant LEASE_END = NOW.plusSeconds(90);
  private static final Instant AFTER_LEASE = LEASE_END.plusSeconds(1);

  /**
   * Each transition as the callers ask for it, by the node that holds the job where a node asks.
   */
  private static final Map<String, Function<FineTuneJob, Transition>> TRANSITIONS =
      Map.ofEntries(
          entry("queue", FineTuneJob::queue),
          entry(
              "rejectFiles",
              job -> job.rejectFiles("The dataset or base model files are missing", NOW)),
          entry("hold", job -> job.hold("over the monthly budget")),
          entry("assign", job -> job.assign(NODE, "node-1", LEASE_END)),
          entry("start", job -> job.start(NODE, LEASE_END, NOW)),
          entry("renewLease", job -> job.renewLease(NODE, LEASE_END.plusSeconds(60))),
          entry("progress", job -> job.progress(NODE, 3, 300)),
          entry("checkpoint", job -> job.checkpoint(NODE, 3)),
          entry("requestStop", job -> job.requestStop(NODE, "the budget is spent")),
          entry("pause", job -> job.pause(NODE, "the budget is spent", 3, 300, NOW)),
          entry("succeed", job -> job.succeed(NODE, "tenants/t/jobs/j/adapter/", 5, 500, NOW)),
          entry("fail", job -> job.fail(NODE, "out of memory", 3, 300, NOW)),
          entry("cancel", job -> job.cancel(NOW)),
          entry("resume", job -> job.resume("The budget allows it again")),
          entry("expireLease", job -> job.expireLease(AFTER_LEASE)));

  /**
   * The state a transition leaves the job in; {@code -}: refused. A node may report on (and end) a
   * job it holds before it started it: its lease lapsed and the job came back to it.
   */
  private static final String TABLE =
      """
      state            queue  rejectFiles hold   assign start   renewLease progress checkpoint requestStop \
      pause  succeed   fail   cancel    resume expireLease
      VALIDATING_FILES QUEUED FAILED      -      -      -       -          -        -          -           \
      -      -         -      CANCELLED -      -
      QUEUED           -      -           QUEUED QUEUED -       -          -        -          -           \
      -      -         -      CANCELLED -      -
      QUEUED_ON_NODE   -      -           -      -      RUNNING -          QUEUED   -          -           \
      PAUSED SUCCEEDED FAILED CANCELLED -      QUEUED
      RUNNING          -      -           -      -      -       RUNNING    RUNNING  RUNNING    RUNNING     \
      PAUSED SUCCEEDED FAILED RUNNING   -      QUEUED
      PAUSED           -      -           PAUSED -      -       -          -        -          -           \
      -      -         -      CANCELLED QUEUED -
      SUCCEEDED        -      -           -      -      -       -          -        -          -           \
      -      -         -      -         -      -
      FAILED           -      -           -      -      -       -          -        -          -           \
      -      -         -      -         -      -
      CANCELLED        -      -           -      -      -       -          -        -          -           \
      -      -         -      -         -      -
      """;

  static Stream<Arguments> table() {
    List<String[]> rows = TABLE.lines().map(line -> line.strip().split("\\s+")).toList();
    String[] transitions = rows.getFirst();
    assertThat(Arrays.asList(transitions).subList(1, transitions.length))
        .as("every transition has a column")
        .containsExactlyInAnyOrderElementsOf(TRANSITIONS.keySet());
    assertThat(rows.stream().skip(1).map(row -> row[0]))
        .as("every state has a row")
        .containsExactlyInAnyOrder(
            Stream.of(Given.values()).map(Given::name).toArray(String[]::new));
    List<Arguments> cases = new ArrayList<>();
    for (String[] row : rows.subList(1, rows.size())) {
      for (int column = 1; column < transitions.length; column++) {
        cases.add(Arguments.of(Given.valueOf(row[0]), transitions[column], row[column]));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} --{1}--> {2}")
  @MethodSource("table")
  void everyTransitionFromEveryState(Given given, String transition, String expected) {
    FineTuneJob job = given.job();
    Snapshot before = Snapshot.of(job);
    Transition answer = TRANSITIONS.get(transition).apply(job);
    if (expected.equals("-")) {
      assertThat(answer.taken()).as("refused").isFalse();
      assertThat(answer.refusal()).isNotBlank();
      assertThat(Snapshot.of(job)).as("a refusal changes nothing").isEqualTo(before);
    } else {
      assertThat(answer.refusal()).isNull();
      assertThat(job.getStatus()).isEqualTo(JobStatus.valueOf(expected));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pause", "succeed", "fail"})
  void aRunningJobTheUserCancelledEndsCancelledWhateverItsNodeReports(String report) {
    FineTuneJob job = Given.RUNNING.job();
    assertThat(job.cancel(NOW).log()).isEqualTo("Cancellation requested");
    assertThat(job.getStatus())
        .as("it runs until its node hears of it")
        .isEqualTo(JobStatus.RUNNING);
    assertThat(job.isCancelRequested()).isTrue();

    Transition ended = TRANSITIONS.get(report).apply(job);

    assertThat(ended.log())
        .isEqualTo(
            report.equals("succeed") ? "Cancelled after 5 steps" : "Cancelled after 3 steps");
    assertThat(job.getStatus()).isEqualTo(JobStatus.CANCELLED);
    assertThat(job.getError()).isEqualTo("Cancelled by user");
    assertThat(job.getNodeId()).isNull();
    assertThat(job.getAdapterPrefix()).isNull();
    assertThat(job.getFinishedAt()).isEqualTo(NOW);
    assertThat(job.pendingEvents())
        .contains(new FineTuneFinished(null, job.getId(), JobStatus.CANCELLED));
  }

  @Test
  void theFirstStopReasonIsKeptAndNamesThePause() {
    FineTuneJob job = Given.RUNNING.job();
    job.checkpoint(NODE, 4);
    assertThat(job.requestStop(NODE, "the budget is spent").log())
        .isEqualTo("Stopping at a checkpoint: the budget is spent");
    int events = job.pendingEvents().size();

    Transition again = job.requestStop(NODE, "the budget of 10.00 USD is spent");
    assertThat(again.taken()).isTrue();
    assertThat(again.log()).as("asked once, logged once").isNull();
    assertThat(job.getHoldReason()).isEqualTo("the budget is spent");
    assertThat(job.pendingEvents()).hasSize(events);

    assertThat(job.pause(NODE, null, 4, 512, NOW).log())
        .isEqualTo("Paused after 4 steps at checkpoint step-4: the budget is spent");
    assertThat(job.getHoldReason()).isEqualTo("the budget is spent");
    assertThat(job.getLastCheckpointStep()).isEqualTo(4);
    assertThat(job.resume("The budget allows it again").log())
        .isEqualTo(
            "The budget allows it again; back in the queue to resume from checkpoint step-4");
    assertThat(job.getHoldReason()).isNull();
  }

  @Test
  void aLeaseExpiresOnlyOnceItRanOut() {
    FineTuneJob job = Given.RUNNING.job();
    job.progress(NODE, 2, 200);
    assertThat(job.expireLease(LEASE_END.minusSeconds(1)).refusal())
        .contains("runs until " + LEASE_END);
    assertThat(job.expireLease(LEASE_END).taken()).as("not before its end").isFalse();
    assertThat(job.getNodeId()).isEqualTo(NODE);

    assertThat(job.expireLease(AFTER_LEASE).log())
        .isEqualTo("Its node stopped answering; back in the queue");
    assertThat(job.getStatus()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.getNodeId()).isNull();
    assertThat(job.getLeaseExpiresAt()).isNull();
    assertThat(job.pendingEvents())
        .contains(new JobLeaseEnded(job.getId(), NODE, 200, AFTER_LEASE));
  }

  @Test
  void eachAssignmentIsAHoldingOfItsOwnWhoseIdOutlastsIt() {
    FineTuneJob job = Given.RUNNING.job();
    UUID first = job.getLeaseId();
    assertThat(first).as("assigned").isNotNull();
    job.expireLease(AFTER_LEASE);
    assertThat(job.getLeaseId()).as("the last holding, once it ended").isEqualTo(first);
    job.assign(NODE, "node-1", AFTER_LEASE.plusSeconds(60));
    assertThat(job.getLeaseId()).as("the next assignment").isNotNull().isNotEqualTo(first);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "start",
        "renewLease",
        "progress",
        "checkpoint",
        "requestStop",
        "pause",
        "succeed",
        "fail"
      })
  void aNodeThatDoesNotHoldTheJobIsRefused(String transition) {
    FineTuneJob job = (transition.equals("start") ? Given.QUEUED_ON_NODE : Given.RUNNING).job();
    FineTuneJob other =
        (transition.equals("start") ? Given.QUEUED_ON_NODE : Given.RUNNING).job(OTHER_NODE);
    Snapshot before = Snapshot.of(other);

    Transition answer = TRANSITIONS.get(transition).apply(other);

    assertThat(answer.refusal())
        .startsWith("node " + NODE + " cannot")
        .contains("on node " + OTHER_NODE);
    assertThat(Snapshot.of(other)).isEqualTo(before);
    assertThat(TRANSITIONS.get(transition).apply(job).taken()).as("its own node may").isTrue();
  }

  @Test
  void aHoldIsLoggedWhenTheJobStartsToWaitAndRewordedQuietly() {
    FineTuneJob job = Given.QUEUED.job();
    assertThat(job.hold("over budget: 0.10 USD spent").log())
        .isEqualTo("Not dispatched: over budget: 0.10 USD spent");
    assertThat(job.hold("over budget: 0.10 USD spent").taken())
        .as("the same words change nothing")
        .isFalse();
    Transition reworded = job.hold("over budget: 0.20 USD spent");
    assertThat(reworded.taken()).isTrue();
    assertThat(reworded.log()).isNull();
    assertThat(job.getHoldReason()).isEqualTo("over budget: 0.20 USD spent");

    job.assign(NODE, "node-1", LEASE_END);
    assertThat(job.getHoldReason()).as("dispatched, nothing holds it").isNull();
  }

  @Test
  void theEndOfAStretchOnANodeIsPublishedForMeteringBeforeTheFinish() {
    FineTuneJob job = Given.RUNNING.job();
    job.progress(NODE, 4, 800);
    int before = job.pendingEvents().size();

    job.succeed(NODE, "tenants/t/jobs/j/adapter/", 5, 640, NOW);

    assertThat(job.pendingEvents().subList(before, job.pendingEvents().size()))
        .containsExactly(
            new FineTuneProgressed(null, job.getId()),
            new JobLeaseEnded(job.getId(), NODE, 800, NOW),
            new FineTuneFinished(null, job.getId(), JobStatus.SUCCEEDED));
    assertThat(job.getAdapterPrefix()).isEqualTo("tenants/t/jobs/j/adapter/");
    assertThat(job.getTrainedTokens()).as("the node's final count").isEqualTo(640);
  }

  @Test
  void aQueuedJobAsksForDispatchAndAnOlderCheckpointNeverReplacesANewerOne() {
    FineTuneJob job = Given.VALIDATING_FILES.job();
    job.queue();
    assertThat(job.pendingEvents()).contains(new FineTuneQueued(job.getId()));

    FineTuneJob running = Given.RUNNING.job();
    running.checkpoint(NODE, 8);
    assertThat(running.checkpoint(NODE, 4).log()).isEqualTo("checkpoint step-4 saved");
    assertThat(running.getLastCheckpointStep()).isEqualTo(8);
  }

  /** The states of the table, each reached through the lifecycle itself. */
  enum Given {
    VALIDATING_FILES,
    QUEUED,
    QUEUED_ON_NODE,
    RUNNING,
    PAUSED,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    FineTuneJob job() {
      return job(NODE);
    }

    FineTuneJob job(UUID node) {
      FineTuneJob job =
          new FineTuneJob(
              "job",
              UUID.randomUUID(),
              FineTuneRequest.defaults(UUID.randomUUID(), UUID.randomUUID()),
              NOW.minusSeconds(600));
      List<Function<FineTuneJob, Transition>> path =
          switch (this) {
            case VALIDATING_FILES -> List.of();
            case QUEUED -> List.of(FineTuneJob::queue);
            case QUEUED_ON_NODE ->
                List.of(FineTuneJob::queue, j -> j.assign(node, "node", LEASE_END));
            case RUNNING ->
                List.of(
                    FineTuneJob::queue,
                    j -> j.assign(node, "node", LEASE_END),
                    j -> j.start(node, LEASE_END, NOW));
            case PAUSED ->
                List.of(
                    FineTuneJob::queue,
                    j -> j.assign(node, "node", LEASE_END),
                    j -> j.start(node, LEASE_END, NOW),
                    j -> j.pause(node, "budget", 2, 200, NOW));
            case SUCCEEDED ->
                List.of(
                    FineTuneJob::queue,
                    j -> j.assign(node, "node", LEASE_END),
                    j -> j.start(node, LEASE_END, NOW),
                    j -> j.succeed(node, "adapter/", 2, 200, NOW));
            case FAILED -> List.of(j -> j.rejectFiles("no files", NOW));
            case CANCELLED -> List.of(FineTuneJob::queue, j -> j.cancel(NOW));
          };
      for (Function<FineTuneJob, Transition> step : path) {
        assertThat(step.apply(job).refusal()).as("on the way to " + this).isNull();
      }
      return job;
    }
  }

  /** Everything a transition may change, to show that a refusal changes none of it. */
  private record Snapshot(
      JobStatus status,
      @Nullable UUID node,
      @Nullable Instant lease,
      @Nullable UUID holding,
      @Nullable String hold,
      boolean cancel,
      int steps,
      long tokens,
      @Nullable Integer checkpoint,
      @Nullable String error,
      int events) {
    static Snapshot of(FineTuneJob job) {
      return new Snapshot(
          job.getStatus(),
          job.getNodeId(),
          job.getLeaseExpiresAt(),
          job.getLeaseId(),
          job.getHoldReason(),
          job.isCancelRequested(),
          job.getSteps(),
          job.getTrainedTokens(),
          job.getLastCheckpointStep(),
          job.getError(),
          job.pendingEvents().size());
    }
  }
}
