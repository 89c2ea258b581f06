package dev.tuneforge.trainingnode.jobprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.Hyperparameters;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.PreferenceMetrics;
import dev.tuneforge.protocol.PreferenceSettings;
import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.TestEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DPO job in the job process: preference pairs in, TRL's rewards with every metric, the adapter
 * out, preference accuracy of base and tuned on held-out pairs, and a resume from a checkpoint that
 * continues exactly as the uninterrupted run.
 */
class PreferenceJobTest {

  static {
    TestEngine.useOneThread();
  }

  private static final String PAIR =
      "{\"prompt\":[{\"role\":\"user\",\"content\":\"Receipt %d: SHOP %d TOTAL %d.50\"}],"
          + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"{\\\"total\\\": \\\"%d.50\\\"}\"}],"
          + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"The total is %d.50.\"}]}";

  @TempDir Path dir;

  @Test
  void trainsOnPairsReportingRewardsAndPreferenceAccuracy() throws IOException {
    Path job = prepare(dir.resolve("job"), 6, 0);

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result = TrainingJobMain.run(job, print(stdout));

    assertThat(result.status()).as(result.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
    List<JobEvent> metrics =
        events(stdout).stream().filter(e -> e.type() == JobEvent.Type.METRIC).toList();
    assertThat(metrics).hasSize(6);
    PreferenceMetrics first = PreferenceMetrics.parse(metrics.getFirst().message());
    PreferenceMetrics last = PreferenceMetrics.parse(metrics.getLast().message());
    assertThat(first).as("every metric carries the rewards").isNotNull();
    assertThat(last).isNotNull();
    // LoRA's B starts at zero: the policy is the reference, every reward 0 and the loss log 2.
    assertThat(metrics.getFirst().loss()).isCloseTo(Math.log(2), within(1e-5));
    assertThat(first.margin()).isCloseTo(0, within(1e-6));
    assertThat(metrics.getLast().loss()).isLessThan(Math.log(2));
    assertThat(last.margin()).isPositive();
    assertThat(last.chosenReward()).isGreaterThan(last.rejectedReward());
    assertThat(events(stdout))
        .extracting(JobEvent::message)
        .contains(
            "train.jsonl: 8 preference pairs, 0 truncated to 256 tokens, 0 left out for lack of"
                + " answer tokens")
        .anyMatch(m -> m != null && m.startsWith("preference accuracy on 4 held-out pairs"));
    assertThat(job.resolve("adapter/adapter_model.safetensors")).exists();
    EvaluationSummary summary =
        TrainingJobMain.JSON.readValue(
            Files.readString(job.resolve("evaluation/summary.json")), EvaluationSummary.class);
    assertThat(summary.error()).isNull();
    assertThat(summary.preference()).isNotNull();
    assertThat(summary.preference().pairs()).isEqualTo(4);
    assertThat(summary.preference().tuned())
        .as("held-out pairs follow the rule the training pairs teach")
        .isGreaterThan(summary.preference().base());
  }

  @Test
  void resumesFromACheckpointExactlyAsTheRunThatNeverStopped() throws IOException {
    Path whole = prepare(dir.resolve("whole"), 4, 2);
    assertThat(TrainingJobMain.run(whole, print(new ByteArrayOutputStream())).status())
        .isEqualTo(JobResult.Status.SUCCEEDED);
    Path resumed = prepare(dir.resolve("resumed"), 4, 2);
    Files.createDirectories(resumed.resolve("resume"));
    try (var files = Files.list(whole.resolve("checkpoints/step-2"))) {
      for (Path file : files.toList()) {
        Files.copy(file, resumed.resolve("resume").resolve(file.getFileName()));
      }
    }

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result = TrainingJobMain.run(resumed, print(stdout));

    assertThat(result.status()).as(result.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
    assertThat(events(stdout)).extracting(JobEvent::message).contains("resumed from step 2");
    var expected = SafeTensors.read(whole.resolve("adapter/adapter_model.safetensors")).tensors();
    var actual = SafeTensors.read(resumed.resolve("adapter/adapter_model.safetensors")).tensors();
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach(
        (name, tensor) ->
            assertThat(actual.get(name).values()).as(name).containsExactly(tensor.values()));
  }

  private static Path prepare(Path job, int steps, int checkpointEvery) throws IOException {
    DemoModelWriter.builder()
        .optSeed(3)
        .optHiddenSize(32)
        .optIntermediateSize(64)
        .build()
        .writeTo(job.resolve("model"));
    Files.createDirectories(job.resolve("data"));
    Files.write(job.resolve("data/train.jsonl"), pairs(1, 8));
    Files.write(job.resolve("data/validation.jsonl"), pairs(100, 4));
    TrainingSpec spec =
        new TrainingSpec(
            "job-dpo",
            "tuneforge/demo",
            new LoraSettings(8, 16, 0, List.of("q_proj", "k_proj", "v_proj", "o_proj")),
            new Hyperparameters(20, 1e-2, 4, 256, 7, steps),
            TrainingOptions.builder()
                .optCheckpointEvery(checkpointEvery)
                .optEvaluationExamples(4)
                .optWarmupRatio(0)
                .build(),
            TrainingSpec.DPO,
            null,
            new PreferenceSettings(0.5, 0));
    Files.writeString(job.resolve("spec.json"), TrainingJobMain.JSON.writeValueAsString(spec));
    return job;
  }

  private static List<String> pairs(int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(n -> PAIR.formatted(n, n, n * 7, n * 7, n * 7))
        .toList();
  }

  private static PrintStream print(ByteArrayOutputStream out) {
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }

  private static List<JobEvent> events(ByteArrayOutputStream stdout) {
    return stdout
        .toString(StandardCharsets.UTF_8)
        .lines()
        .map(line -> TrainingJobMain.JSON.readValue(line, JobEvent.class))
        .toList();
  }
}
