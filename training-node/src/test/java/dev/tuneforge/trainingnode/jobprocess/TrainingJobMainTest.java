package dev.tuneforge.trainingnode.jobprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.SafeTensorsFile;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.Hyperparameters;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingJobMainTest {

  static {
    TestEngine.useOneThread();
  }

  /** Far beyond the seconds two steps on the tiny model take, even on a busy machine. */
  private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(5);

  private static final String EXAMPLE =
      "{\"id\":\"r%d\",\"messages\":[{\"role\":\"system\",\"content\":\"Extract the total.\"},"
          + "{\"role\":\"user\",\"content\":\"SHOP %d\\nTOTAL RM %d.50\"},"
          + "{\"role\":\"assistant\",\"content\":\"{\\\"total\\\": \\\"%d.50\\\"}\"}]}";

  @TempDir Path job;

  @Test
  void runsAJobWritingEventsAdapterAndResult() throws IOException {
    prepare(List.of(example(1), example(2), example(3), example(4), example(5)), 0);

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result =
        TrainingJobMain.run(job, new PrintStream(stdout, true, StandardCharsets.UTF_8));

    List<JobEvent> events = events(stdout);
    assertThat(result.status()).as(result.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
    assertThat(result.steps()).isEqualTo(4);
    assertThat(result.trainedTokens()).isPositive();
    assertThat(
            TrainingJobMain.JSON.readValue(
                Files.readString(job.resolve("result.json")), JobResult.class))
        .isEqualTo(result);
    assertThat(events).filteredOn(e -> e.type() == JobEvent.Type.METRIC).hasSize(4);
    assertThat(events)
        .filteredOn(e -> e.type() == JobEvent.Type.LOG)
        .extracting(JobEvent::message)
        .anyMatch(m -> m.startsWith("loaded model tuneforge/demo"))
        .anyMatch(m -> m.equals("5 examples, 4 steps"));
    assertThat(events.getLast().message()).startsWith("wrote adapter");
    assertThat(job.resolve("adapter/adapter_config.json")).exists();
    assertThat(job.resolve("adapter/adapter_model.safetensors")).exists();
  }

  @Test
  void packingAndRsLoraFromTheSpecReachTheTrainerAndTheAdapter(@TempDir Path plainJob)
      throws IOException {
    List<String> lines = List.of(example(1), example(2), example(3), example(4), example(5));
    prepare(plainJob, lines, 0, 1e-3, null);
    JobResult plain =
        TrainingJobMain.run(
            plainJob, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    prepare(job, lines, 0, 1e-3, TrainingOptions.builder().optPacking(true).build());
    TrainingSpec spec =
        TrainingJobMain.JSON.readValue(
            Files.readString(job.resolve("spec.json")), TrainingSpec.class);
    LoraSettings l = spec.lora();
    spec =
        new TrainingSpec(
            spec.jobId(),
            spec.baseModel(),
            new LoraSettings(l.r(), l.alpha(), l.dropout(), l.targetModules(), true),
            spec.hyperparameters(),
            spec.options());
    Files.writeString(job.resolve("spec.json"), TrainingJobMain.JSON.writeValueAsString(spec));

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result =
        TrainingJobMain.run(job, new PrintStream(stdout, true, StandardCharsets.UTF_8));

    assertThat(result.status()).as(result.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
    assertThat(result.steps()).isEqualTo(plain.steps());
    assertThat(result.trainedTokens())
        .as("the same real tokens, packed")
        .isEqualTo(plain.trainedTokens());
    assertThat(events(stdout))
        .filteredOn(e -> e.type() == JobEvent.Type.LOG)
        .extracting(JobEvent::message)
        .anyMatch(
            m -> m.equals("5 examples, 4 steps, packed into rows of 256 tokens, rsLoRA scale 4.0"));
    assertThat(
            TrainingJobMain.JSON
                .readTree(Files.readString(job.resolve("adapter/adapter_config.json")))
                .path("use_rslora")
                .asBoolean())
        .isTrue();
  }

  @Test
  void asAChildProcessPrintsOnlyEventsOnStdoutAndExitsZero() throws Exception {
    prepare(List.of(example(1), example(2), example(3)), 2);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    Process process =
        new ProcessBuilder(
                java.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.pytorch.num_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                TrainingJobMain.class.getName(),
                job.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    // Read on another thread, so that a child that never exits fails the test instead of hanging
    // it.
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    boolean exited = process.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    assertThat(exited).as("the child process exits within " + CHILD_TIMEOUT).isTrue();
    assertThat(process.exitValue()).isZero();
    String stdout = output.get(30, TimeUnit.SECONDS);
    List<JobEvent> events =
        stdout.lines().map(line -> TrainingJobMain.JSON.readValue(line, JobEvent.class)).toList();
    assertThat(events)
        .filteredOn(e -> e.type() == JobEvent.Type.METRIC)
        .extracting(JobEvent::step)
        .containsExactly(1, 2);
    assertThat(Files.readString(job.resolve("result.json"))).contains("\"succeeded\"");
  }

  @Test
  void failsNamingTheMalformedLine() throws IOException {
    prepare(List.of(example(1), example(2), "{\"messages\": [oops"), 0);

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result =
        TrainingJobMain.run(job, new PrintStream(stdout, true, StandardCharsets.UTF_8));

    assertThat(result.status()).isEqualTo(JobResult.Status.FAILED);
    assertThat(result.reason()).startsWith("line 3 of the dataset: not valid JSON");
    assertThat(Files.readString(job.resolve("result.json"))).contains("line 3 of the dataset");
    assertThat(events(stdout).getLast().message()).startsWith("failed: line 3");
  }

  @Test
  void failsOnAnUnsupportedArchitecture() throws IOException {
    prepare(List.of(example(1)), 0);
    Path config = job.resolve("model/config.json");
    Files.writeString(
        config, Files.readString(config).replace("LlamaForCausalLM", "Phi3ForCausalLM"));

    JobResult result =
        TrainingJobMain.run(
            job, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThat(result.reason())
        .startsWith(
            "unsupported architecture Phi3ForCausalLM; supported: Gemma3ForCausalLM, LlamaForCausalLM");
  }

  @Test
  void writesCheckpointsAndResumesFromOneInAnotherJobDirectory() throws IOException {
    List<String> lines = List.of(example(1), example(2), example(3), example(4), example(5));
    TrainingOptions everyTwo =
        TrainingOptions.builder().optCheckpointEvery(2).optSchedule("cosine").build();
    prepare(job, lines, 0, 1e-3, everyTwo);
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    assertThat(
            TrainingJobMain.run(job, new PrintStream(first, true, StandardCharsets.UTF_8)).status())
        .isEqualTo(JobResult.Status.SUCCEEDED);
    assertThat(events(first))
        .extracting(JobEvent::message)
        .contains("checkpoint step-2", "checkpoint step-4");

    Path other = job.resolve("other-node");
    prepare(other, lines, 0, 1e-3, everyTwo);
    copyTree(job.resolve("checkpoints/step-2"), other.resolve("resume/step-2"));
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    JobResult resumed =
        TrainingJobMain.run(other, new PrintStream(second, true, StandardCharsets.UTF_8));

    assertThat(resumed.status()).as(resumed.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
    assertThat(resumed.steps()).isEqualTo(4);
    assertThat(events(second))
        .extracting(JobEvent::message)
        .contains("resumed from step 2", "checkpoint step-4");
    assertThat(metricLosses(second)).hasSize(2);
    assertThat(metricLosses(second).get(0)).isCloseTo(metricLosses(first).get(2), within(1e-5));
    assertThat(metricLosses(second).get(1)).isCloseTo(metricLosses(first).get(3), within(1e-5));
    assertThat(other.resolve("adapter/adapter_model.safetensors")).exists();
  }

  @Test
  void refusesToResumeOnOtherData() throws IOException {
    List<String> lines = List.of(example(1), example(2), example(3), example(4), example(5));
    prepare(job, lines, 0, 1e-3, TrainingOptions.builder().optCheckpointEvery(2).build());
    TrainingJobMain.run(
        job, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Path other = job.resolve("other-node");
    prepare(
        other, List.of(example(1), example(2), example(3), example(4), example(6)), 0, 1e-3, null);
    copyTree(job.resolve("checkpoints/step-4"), other.resolve("resume"));

    JobResult result =
        TrainingJobMain.run(
            other, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThat(result.status()).isEqualTo(JobResult.Status.FAILED);
    assertThat(result.reason()).startsWith("cannot resume from step-4: the training data differs");
  }

  @Test
  void theDeviceTheNodeAsksForIsTheDeviceItTrainsOn() throws IOException {
    prepare(List.of(example(1), example(2), example(3)), 1);

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result =
        TrainingJobMain.run(
            job,
            new PrintStream(stdout, true, StandardCharsets.UTF_8),
            Map.of("TUNEFORGE_DEVICE", "cpu", "TUNEFORGE_SIMULATED_GPU", "1"));

    assertThat(result.status()).as(result.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
    assertThat(events(stdout))
        .extracting(JobEvent::message)
        .anyMatch(
            m ->
                m != null
                    && m.startsWith(
                        "training on cpu (standing in for simulated GPU 1); the job needs ≈ ")
                    && m.contains(" GiB by the estimate; the device offers "));
  }

  @Test
  void aCudaJobOnAMachineWithoutAGpuFailsSayingSoInsteadOfTrainingOnTheCpu() throws IOException {
    prepare(List.of(example(1), example(2), example(3)), 1);

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result =
        TrainingJobMain.run(
            job,
            new PrintStream(stdout, true, StandardCharsets.UTF_8),
            Map.of("TUNEFORGE_DEVICE", "cuda"));

    assertThat(result.status()).isEqualTo(JobResult.Status.FAILED);
    assertThat(result.reason())
        .startsWith("this node trains on cuda (--device cuda) but PyTorch")
        .contains("sees no GPU", "docs/operations.md");
    assertThat(result.steps()).isZero();
    assertThat(events(stdout)).noneMatch(e -> e.type() == JobEvent.Type.METRIC);
    assertThat(job.resolve("adapter")).doesNotExist();
  }

  @Test
  void runningOutOfTheDevicesMemoryFailsWithTheFiguresAndKeepsTheCheckpoint() throws IOException {
    List<String> lines = List.of(example(1), example(2), example(3), example(4));
    TrainingOptions everyStep = TrainingOptions.builder().optCheckpointEvery(1).build();
    prepare(job, lines, 3, 1e-3, everyStep);
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    assertThat(
            TrainingJobMain.run(job, new PrintStream(first, true, StandardCharsets.UTF_8)).status())
        .isEqualTo(JobResult.Status.SUCCEEDED);
    Path other = job.resolve("small-device");
    prepare(other, lines, 3, 1e-3, everyStep);
    copyTree(job.resolve("checkpoints/step-1"), other.resolve("resume/step-1"));

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    // a device of 64 MiB: less than the engine alone takes
    JobResult result =
        TrainingJobMain.run(
            other,
            new PrintStream(stdout, true, StandardCharsets.UTF_8),
            Map.of("TUNEFORGE_MEMORY_LIMIT", Long.toString(64L << 20)));

    assertThat(result.status()).isEqualTo(JobResult.Status.FAILED);
    assertThat(result.reason())
        .startsWith("out of memory at step 2: the training process holds ")
        .contains("more than the 0.1 GiB it may use", "gradient accumulation")
        .contains("the job needs ≈ ", " GiB by the estimate; the device offers 0.1 GiB")
        .endsWith("the last checkpoint, step-1, is kept");
    assertThat(other.resolve("checkpoints/step-2")).doesNotExist();
    assertThat(other.resolve("adapter")).doesNotExist();
  }

  @Test
  void anAbsurdLearningRateFailsWithNanAndKeepsTheLastCheckpoint() throws IOException {
    List<String> lines =
        List.of(example(1), example(2), example(3), example(4), example(5), example(6));
    prepare(
        job,
        lines,
        12,
        1e38,
        TrainingOptions.builder().optCheckpointEvery(1).optWarmupRatio(0.0).build());

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result =
        TrainingJobMain.run(job, new PrintStream(stdout, true, StandardCharsets.UTF_8));

    assertThat(result.status()).isEqualTo(JobResult.Status.FAILED);
    // lr / (1 - beta1) overflows fp32, so parameters whose first gradient was zero become NaN.
    assertThat(result.reason())
        .isEqualTo("loss became NaN at step 2; the last checkpoint, step-1, is kept");
    assertThat(result.steps()).isEqualTo(1);
    assertThat(job.resolve("checkpoints/step-1/trainer_state.json")).exists();
    assertThat(job.resolve("checkpoints/step-2")).doesNotExist();
    assertThat(events(stdout).getLast().message()).startsWith("failed: loss became NaN at step 2");
  }

  @Test
  void measuresValidationLossWhenAValidationFileIsThere() throws IOException {
    prepare(
        job,
        List.of(example(1), example(2), example(3), example(4)),
        4,
        1e-3,
        TrainingOptions.builder()
            .optCheckpointEvery(0)
            .optGradientAccumulation(2)
            .optValidationEvery(1)
            .build());
    Files.write(job.resolve("data/validation.jsonl"), List.of(example(7), example(8)));

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result =
        TrainingJobMain.run(job, new PrintStream(stdout, true, StandardCharsets.UTF_8));

    assertThat(result.status()).as(result.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
    assertThat(result.steps()).isEqualTo(2);
    List<JobEvent> validation =
        events(stdout).stream().filter(e -> e.type() == JobEvent.Type.VALIDATION).toList();
    assertThat(validation).extracting(JobEvent::step).containsExactly(1, 2);
    assertThat(validation.getFirst().loss()).isPositive();
    assertThat(validation.getFirst().message())
        .startsWith("validation loss ")
        .endsWith(" at step 1");
    assertThat(events(stdout))
        .extracting(JobEvent::message)
        .contains("checkpoint step-2")
        .doesNotContain("checkpoint step-1");
  }

  @Test
  void stopsAtACheckpointWhenAskedAndAResumeContinuesAsIfItHadNotStopped() throws IOException {
    List<String> lines =
        List.of(example(1), example(2), example(3), example(4), example(5), example(6));
    List<String> validation = List.of(example(7), example(8));
    Path straight = job.resolve("straight");
    prepare(
        straight,
        lines,
        6,
        1e-3,
        TrainingOptions.builder()
            .optCheckpointEvery(4)
            .optValidationEvery(2)
            .optEvaluationExamples(2)
            .optEvaluationMaxNewTokens(8)
            .optSamplesPerValidation(0)
            .build());
    Files.write(straight.resolve("data/validation.jsonl"), validation);
    ByteArrayOutputStream straightEvents = new ByteArrayOutputStream();
    assertThat(
            TrainingJobMain.run(
                    straight, new PrintStream(straightEvents, true, StandardCharsets.UTF_8))
                .status())
        .isEqualTo(JobResult.Status.SUCCEEDED);

    TrainingOptions withSamples =
        TrainingOptions.builder()
            .optCheckpointEvery(4)
            .optValidationEvery(2)
            .optEvaluationExamples(2)
            .optEvaluationMaxNewTokens(8)
            .optSamplesPerValidation(1)
            .build();
    Path stopped = job.resolve("stopped");
    prepare(stopped, lines, 6, 1e-3, withSamples);
    Files.write(stopped.resolve("data/validation.jsonl"), validation);
    ByteArrayOutputStream stoppedEvents = new ByteArrayOutputStream();
    JobResult stop = TrainingJobMain.run(stopped, stopFileAfterStep(3, stopped, stoppedEvents));

    assertThat(stop)
        .isEqualTo(JobResult.stopped("the tenant's budget is spent", 3, stop.trainedTokens()));
    assertThat(
            TrainingJobMain.JSON.readValue(
                Files.readString(stopped.resolve("result.json")), JobResult.class))
        .isEqualTo(stop);
    assertThat(events(stoppedEvents))
        .filteredOn(e -> e.type() == JobEvent.Type.METRIC)
        .extracting(JobEvent::step)
        .containsExactly(1, 2, 3);
    assertThat(events(stoppedEvents))
        .filteredOn(e -> e.type() == JobEvent.Type.SAMPLE)
        .extracting(JobEvent::step)
        .containsExactly(2);
    assertThat(events(stoppedEvents))
        .extracting(JobEvent::message)
        .contains("checkpoint step-3")
        .anyMatch(
            m -> m != null && m.startsWith("stopped after step 3 (the tenant's budget is spent)"));
    assertThat(stopped.resolve("checkpoints/step-3/trainer_state.json")).exists();
    assertThat(stopped.resolve("adapter")).doesNotExist();
    assertThat(stopped.resolve("evaluation")).doesNotExist();
    // Samples decode greedily and draw on no random stream: the run is bit for bit the same.
    assertThat(metricLosses(stoppedEvents))
        .containsExactlyElementsOf(metricLosses(straightEvents).subList(0, 3));

    Path resumed = job.resolve("resumed");
    prepare(resumed, lines, 6, 1e-3, withSamples);
    Files.write(resumed.resolve("data/validation.jsonl"), validation);
    copyTree(stopped.resolve("checkpoints/step-3"), resumed.resolve("resume"));
    ByteArrayOutputStream resumedEvents = new ByteArrayOutputStream();
    JobResult finished =
        TrainingJobMain.run(resumed, new PrintStream(resumedEvents, true, StandardCharsets.UTF_8));

    assertThat(finished.status()).as(finished.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
    assertThat(finished.steps()).isEqualTo(6);
    List<Double> expected = metricLosses(straightEvents).subList(3, 6);
    List<Double> actual = metricLosses(resumedEvents);
    assertThat(actual).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(actual.get(i))
          .as("loss of step %d", i + 4)
          .isCloseTo(expected.get(i), within(1e-5));
    }
    assertThat(events(resumedEvents))
        .filteredOn(e -> e.type() == JobEvent.Type.SAMPLE)
        .extracting(JobEvent::step)
        .containsExactly(4, 6);
    assertThat(resumed.resolve("adapter/adapter_model.safetensors")).exists();
    assertThat(resumed.resolve("evaluation/summary.json")).exists();
  }

  /**
   * A full fine-tune delivers a Hugging Face model directory with every base tensor changed, which
   * loads back; its evaluation's base side is the original model, scored as a LoRA job's base
   * (adapter off) is.
   */
  @Test
  void aFullFineTuneWritesTheWholeModelAndComparesWithTheOriginalBase(@TempDir Path loraJob)
      throws IOException {
    List<String> lines = List.of(example(1), example(2), example(3), example(4), example(5));
    TrainingOptions evaluate =
        TrainingOptions.builder()
            .optCheckpointEvery(0)
            .optEvaluationExamples(2)
            .optEvaluationMaxNewTokens(8)
            .optSamplesPerValidation(0)
            .build();
    prepare(loraJob, lines, 0, 1e-3, evaluate);
    Files.write(loraJob.resolve("data/validation.jsonl"), List.of(example(7), example(8)));
    assertThat(
            TrainingJobMain.run(
                    loraJob,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .status())
        .isEqualTo(JobResult.Status.SUCCEEDED);
    prepare(job, lines, 0, 1e-3, evaluate);
    Files.write(job.resolve("data/validation.jsonl"), List.of(example(7), example(8)));
    TrainingSpec lora =
        TrainingJobMain.JSON.readValue(
            Files.readString(job.resolve("spec.json")), TrainingSpec.class);
    TrainingSpec full =
        new TrainingSpec(
            lora.jobId(),
            lora.baseModel(),
            lora.lora(),
            lora.hyperparameters(),
            lora.options(),
            TrainingSpec.FULL);
    Files.writeString(job.resolve("spec.json"), TrainingJobMain.JSON.writeValueAsString(full));

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result =
        TrainingJobMain.run(job, new PrintStream(stdout, true, StandardCharsets.UTF_8));

    assertThat(result.status()).as(result.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
    assertThat(events(stdout))
        .extracting(JobEvent::message)
        .anyMatch(
            m -> m != null && m.endsWith("trainable parameters: full fine-tuning, every weight"))
        .anyMatch(m -> m != null && m.startsWith("wrote the tuned model after 4 steps"));
    assertThat(job.resolve("adapter")).doesNotExist();
    Path tuned = job.resolve(JobFolder.TUNED_MODEL);
    try (var files = Files.list(tuned)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .contains("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json");
    }
    Map<String, Tensor> base = SafeTensors.read(job.resolve("model/model.safetensors")).tensors();
    SafeTensorsFile written = SafeTensors.read(tuned.resolve("model.safetensors"));
    assertThat(written.tensors().keySet()).isEqualTo(base.keySet());
    base.forEach(
        (name, tensor) ->
            assertThat(Arrays.equals(written.tensors().get(name).values(), tensor.values()))
                .as("%s changed", name)
                .isFalse());
    try (LlamaModel reloaded = LlamaModel.loadFrozen(tuned)) {
      assertThat(reloaded.config().hiddenSize()).isEqualTo(32);
    }
    EvaluationSummary fullSummary =
        TrainingJobMain.JSON.readValue(
            Files.readString(job.resolve("evaluation/summary.json")), EvaluationSummary.class);
    EvaluationSummary loraSummary =
        TrainingJobMain.JSON.readValue(
            Files.readString(loraJob.resolve("evaluation/summary.json")), EvaluationSummary.class);
    assertThat(fullSummary.base().loss()).isCloseTo(loraSummary.base().loss(), within(1e-5));
    assertThat(fullSummary.tuned().loss()).isLessThan(fullSummary.base().loss());
  }

  /**
   * Events to {@code out}; once step {@code step}'s metric is out, the job finds a stop file, as
   * the agent writes it.
   */
  private static PrintStream stopFileAfterStep(int step, Path job, ByteArrayOutputStream out) {
    return new PrintStream(out, true, StandardCharsets.UTF_8) {
      @Override
      public void println(String line) {
        super.println(line);
        JobEvent event = TrainingJobMain.JSON.readValue(line, JobEvent.class);
        if (event.type() == JobEvent.Type.METRIC && event.step() == step) {
          try {
            Files.writeString(job.resolve(JobFolder.STOP), "the tenant's budget is spent\n");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    };
  }

  private void prepare(List<String> lines, int maxSteps) throws IOException {
    prepare(job, lines, maxSteps, 1e-3, null);
  }

  private static void prepare(
      Path job, List<String> lines, int maxSteps, double learningRate, TrainingOptions options)
      throws IOException {
    DemoModelWriter.builder()
        .optSeed(3)
        .optHiddenSize(32)
        .optIntermediateSize(64)
        .build()
        .writeTo(job.resolve("model"));
    Files.createDirectories(job.resolve("data"));
    Files.write(job.resolve("data/train.jsonl"), lines);
    TrainingSpec spec =
        new TrainingSpec(
            "job-1",
            "tuneforge/demo",
            new LoraSettings(4, 8, 0.05, List.of("q_proj", "v_proj")),
            new Hyperparameters(2, learningRate, 2, 256, 7, maxSteps == 0 ? 4 : maxSteps),
            options);
    Files.writeString(job.resolve("spec.json"), TrainingJobMain.JSON.writeValueAsString(spec));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName().toString()));
      }
    }
  }

  private static List<Double> metricLosses(ByteArrayOutputStream stdout) {
    return events(stdout).stream()
        .filter(e -> e.type() == JobEvent.Type.METRIC)
        .map(JobEvent::loss)
        .toList();
  }

  private static String example(int n) {
    return EXAMPLE.formatted(n, n, n * 10, n * 10);
  }

  private static List<JobEvent> events(ByteArrayOutputStream stdout) {
    return stdout
        .toString(StandardCharsets.UTF_8)
        .lines()
        .map(line -> TrainingJobMain.JSON.readValue(line, JobEvent.class))
        .toList();
  }
}
