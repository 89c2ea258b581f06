package dev.tuneforge.trainingnode.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.Hyperparameters;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.PromptMessage;
import dev.tuneforge.protocol.RetentionExample;
import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.generate.GenerationResult;
import dev.tuneforge.trainingnode.generate.Generator;
import dev.tuneforge.trainingnode.generate.PeftAdapter;
import dev.tuneforge.trainingnode.jobprocess.TrainingJobMain;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The evaluation a job runs after training, on the demo model and real SROIE receipts. */
class JobEvaluationTest {

  static {
    TestEngine.useOneThread();
  }

  private static final Path SROIE = Path.of("src/test/resources/train/sroie-20.jsonl");
  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  @TempDir Path job;

  @Test
  void comparesTheBaseAndTheTunedModelOnHeldOutReceiptsAfterTraining() throws IOException {
    List<String> receipts =
        Files.readAllLines(SROIE).stream().filter(line -> !line.isBlank()).toList();
    prepare(
        receipts.subList(0, 12),
        TrainingOptions.builder()
            .optCheckpointEvery(0)
            .optValidationEvery(6)
            .optEvaluationExamples(3)
            .optEvaluationMaxNewTokens(24)
            .optSamplesPerValidation(1)
            .optRetention(TrainingOptions.RETENTION_BUILTIN)
            .build());
    Files.write(job.resolve("data/validation.jsonl"), receipts.subList(12, 14));
    Files.write(job.resolve("data/evaluation.jsonl"), receipts.subList(14, 17));

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result =
        TrainingJobMain.run(job, new PrintStream(stdout, true, StandardCharsets.UTF_8));

    assertThat(result)
        .as(result.reason())
        .isEqualTo(JobResult.succeeded(12, result.trainedTokens()));
    List<JobEvent> events = events(stdout);
    assertThat(events)
        .filteredOn(e -> e.type() == JobEvent.Type.SAMPLE)
        .extracting(JobEvent::step)
        .containsExactly(6, 12);
    assertThat(events)
        .filteredOn(e -> e.type() == JobEvent.Type.FIELD_F1)
        .as("field F1 of the 2 validation receipts at each validation")
        .extracting(JobEvent::step)
        .containsExactly(6, 12);
    assertThat(events)
        .filteredOn(e -> e.type() == JobEvent.Type.FIELD_F1)
        .extracting(JobEvent::loss)
        .allMatch(f1 -> f1 >= 0 && f1 <= 1);
    List<JobEvent> progress =
        events.stream().filter(e -> e.type() == JobEvent.Type.EVALUATION).toList();
    assertThat(progress).extracting(JobEvent::step).containsExactly(0, 2, 3);
    assertThat(progress).extracting(JobEvent::totalSteps).containsOnly(3);

    List<EvaluationExample> examples = generations();
    assertThat(examples).extracting(EvaluationExample::index).containsExactly(0, 1, 2);
    for (int i = 0; i < 3; i++) {
      JsonNode messages = JSON.readTree(receipts.get(14 + i)).path("messages");
      EvaluationExample example = examples.get(i);
      assertThat(example.expected()).isEqualTo(messages.get(2).path("content").asString());
      assertThat(example.prompt())
          .containsExactly(
              new PromptMessage("system", messages.get(0).path("content").asString()),
              new PromptMessage("user", messages.get(1).path("content").asString()));
      assertThat(example.tunedOutput())
          .as("tuned answer to receipt %d", i)
          .isNotEqualTo(example.baseOutput());
      assertThat(example.baseOutputTokens()).isBetween(1, 24);
      assertThat(example.tunedOutputTokens()).isBetween(1, 24);
      assertThat(List.of(example.baseFirstTokenSeconds(), example.tunedFirstTokenSeconds()))
          .as("time to first token of receipt %d", i)
          .allMatch(seconds -> seconds > 0 && seconds < 60);
      if (example.tunedOutputTokens() > 1) {
        assertThat(example.tunedTokensPerSecond()).isPositive();
      }
      assertThat(List.of(example.baseStop(), example.tunedStop()))
          .allMatch(stop -> stop.equals("eos") || stop.equals("length"));
    }

    EvaluationSummary summary = summary();
    assertThat(summary.error()).isNull();
    assertThat(summary.examples()).isEqualTo(3);
    assertThat(summary.decoding()).isEqualTo("greedy");
    assertThat(summary.device()).isEqualTo("cpu");
    assertThat(summary.maxNewTokens()).isEqualTo(24);
    assertThat(summary.generatedTokens())
        .isEqualTo(
            examples.stream().mapToLong(e -> e.baseOutputTokens() + e.tunedOutputTokens()).sum());
    assertThat(summary.seconds()).isPositive();
    assertThat(summary.base().tokens()).isPositive().isEqualTo(summary.tuned().tokens());
    assertThat(summary.tuned().loss())
        .as("tuned loss below the base model's")
        .isLessThan(summary.base().loss() - 0.5);
    assertThat(summary.tuned().tokenAccuracy())
        .isBetween(0.0, 1.0)
        .isGreaterThan(summary.base().tokenAccuracy());
    assertThat(events)
        .filteredOn(e -> e.type() == JobEvent.Type.LOG)
        .extracting(JobEvent::message)
        .anyMatch(m -> m.startsWith("evaluated 3 examples in "));

    List<RetentionExample> retention =
        Files.readAllLines(job.resolve(RetentionCheck.FILE)).stream()
            .map(line -> JSON.readValue(line, RetentionExample.class))
            .toList();
    assertThat(retention).hasSize(RetentionCheck.builtIn().size()).hasSizeGreaterThan(40);
    assertThat(retention.getFirst().expected()).isEqualTo("12");
    assertThat(retention)
        .allSatisfy(
            r -> {
              assertThat(r.answerTokens()).isPositive();
              assertThat(r.baseLoss()).isPositive();
              assertThat(r.tunedLoss()).isPositive();
            });
    assertThat(events)
        .filteredOn(e -> e.type() == JobEvent.Type.LOG)
        .extracting(JobEvent::message)
        .anyMatch(m -> m.startsWith("retention check: base and tuned answered 54 items"));

    // What the job generated in-process is what the downloaded adapter generates, batch for batch.
    List<List<List<ChatMessage>>> batches =
        List.of(prompts(examples.subList(0, 2)), prompts(examples.subList(2, 3)));
    Path modelDir = job.resolve("model");
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDir);
        LlamaModel tuned = PeftAdapter.load(modelDir, job.resolve("adapter"));
        LlamaModel base = PeftAdapter.loadBase(modelDir)) {
      assertThat(texts(tuned, tokenizer, modelDir, batches))
          .containsExactlyElementsOf(
              examples.stream().map(EvaluationExample::tunedOutput).toList());
      assertThat(texts(base, tokenizer, modelDir, batches))
          .containsExactlyElementsOf(examples.stream().map(EvaluationExample::baseOutput).toList());
    }
  }

  @Test
  void theLeasesMaxNewTokensBoundsEveryEvaluationAnswer() throws IOException {
    List<String> receipts =
        Files.readAllLines(SROIE).stream().filter(line -> !line.isBlank()).toList();
    prepare(
        receipts.subList(0, 2),
        TrainingOptions.builder()
            .optCheckpointEvery(0)
            .optEvaluationExamples(2)
            .optEvaluationMaxNewTokens(5)
            .optSamplesPerValidation(0)
            .optFieldF1Examples(0)
            .build());
    Files.write(job.resolve("data/evaluation.jsonl"), receipts.subList(3, 5));

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result =
        TrainingJobMain.run(job, new PrintStream(stdout, true, StandardCharsets.UTF_8));

    assertThat(result.status()).as(result.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
    EvaluationSummary summary = summary();
    assertThat(summary.error()).isNull();
    assertThat(summary.maxNewTokens()).isEqualTo(5);
    List<EvaluationExample> examples = generations();
    assertThat(examples).hasSize(2);
    assertThat(examples)
        .allSatisfy(
            e -> {
              assertThat(e.baseOutputTokens()).isBetween(1, 5);
              assertThat(e.tunedOutputTokens()).isBetween(1, 5);
            });
    // A receipt's JSON answer is far longer than 5 tokens: some answer is cut at the limit.
    assertThat(examples)
        .flatExtracting(EvaluationExample::baseStop, EvaluationExample::tunedStop)
        .contains("length");
    assertThat(summary.generatedTokens()).isLessThanOrEqualTo(2 * 2 * 5);
  }

  @Test
  void anEvaluationThatFailsLeavesItsErrorInTheSummaryAndTheJobSucceeds() throws IOException {
    List<String> receipts =
        Files.readAllLines(SROIE).stream().filter(line -> !line.isBlank()).toList();
    prepare(
        receipts.subList(0, 2),
        TrainingOptions.builder()
            .optCheckpointEvery(0)
            .optEvaluationExamples(5)
            .optEvaluationMaxNewTokens(8)
            .optSamplesPerValidation(0)
            .build());
    Files.write(
        job.resolve("data/evaluation.jsonl"), List.of(receipts.get(3), "{\"messages\": [oops"));

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    JobResult result =
        TrainingJobMain.run(job, new PrintStream(stdout, true, StandardCharsets.UTF_8));

    assertThat(result.status()).as(result.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
    assertThat(job.resolve("adapter/adapter_model.safetensors")).exists();
    EvaluationSummary summary = summary();
    assertThat(summary.error())
        .startsWith("evaluation failed: evaluation.jsonl: line 2 of the dataset: not valid JSON");
    assertThat(summary.base()).isNull();
    assertThat(summary.examples()).isZero();
    assertThat(job.resolve(EvaluationFiles.GENERATIONS)).isEmptyFile();
    assertThat(events(stdout).getLast().message())
        .startsWith("evaluation failed: evaluation.jsonl: line 2");
  }

  private void prepare(List<String> train, TrainingOptions options) throws IOException {
    DemoModelWriter.builder()
        .optSeed(3)
        .optHiddenSize(32)
        .optIntermediateSize(64)
        .build()
        .writeTo(job.resolve("model"));
    Files.createDirectories(job.resolve("data"));
    Files.write(job.resolve("data/train.jsonl"), train);
    TrainingSpec spec =
        new TrainingSpec(
            "job-1",
            "tuneforge/demo",
            new LoraSettings(4, 8, 0.05, List.of("q_proj", "v_proj", "down_proj")),
            new Hyperparameters(2, 5e-3, 2, 1024, 7, 0),
            options);
    Files.writeString(job.resolve("spec.json"), JSON.writeValueAsString(spec));
  }

  private static List<List<ChatMessage>> prompts(List<EvaluationExample> examples) {
    return examples.stream()
        .map(e -> e.prompt().stream().map(m -> ChatMessage.of(m.role(), m.content())).toList())
        .toList();
  }

  private static List<String> texts(
      LlamaModel model,
      HuggingFaceTokenizer tokenizer,
      Path modelDir,
      List<List<List<ChatMessage>>> batches)
      throws IOException {
    Generator generator =
        Generator.builder()
            .setModel(model)
            .setTokenizer(tokenizer)
            .optModelDirectory(modelDir)
            .optMaxNewTokens(24)
            .build();
    List<String> texts = new ArrayList<>();
    for (List<List<ChatMessage>> batch : batches) {
      generator.generateBatch(batch).stream().map(GenerationResult::text).forEach(texts::add);
    }
    return texts;
  }

  private List<EvaluationExample> generations() throws IOException {
    return Files.readAllLines(job.resolve(EvaluationFiles.GENERATIONS)).stream()
        .map(line -> JSON.readValue(line, EvaluationExample.class))
        .toList();
  }

  private EvaluationSummary summary() throws IOException {
    return JSON.readValue(
        Files.readString(job.resolve(EvaluationFiles.SUMMARY)), EvaluationSummary.class);
  }

  private static List<JobEvent> events(ByteArrayOutputStream stdout) {
    return stdout
        .toString(StandardCharsets.UTF_8)
        .lines()
        .map(line -> JSON.readValue(line, JobEvent.class))
        .toList();
  }
}
