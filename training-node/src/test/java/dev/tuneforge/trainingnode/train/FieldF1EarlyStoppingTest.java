package dev.tuneforge.trainingnode.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Early stopping on the field F1 of the validation sample keeps the best measurement's weights. */
class FieldF1EarlyStoppingTest {

  static {
    TestEngine.useOneThread();
  }

  private static final LoraSettings LORA =
      new LoraSettings(4, 8, 0.1, List.of("q_proj", "v_proj", "down_proj"));

  @TempDir static Path shared;

  private static Path modelDir;
  private static List<EncodedExample> examples;

  @BeforeAll
  static void writeModelAndData() throws IOException {
    modelDir = shared.resolve("model");
    DemoModelWriter.builder()
        .optSeed(3)
        .optHiddenSize(32)
        .optIntermediateSize(64)
        .build()
        .writeTo(modelDir);
    Path data = shared.resolve("train.jsonl");
    Files.write(data, Files.readAllLines(TrainerTest.SROIE).subList(0, 12));
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDir)) {
      examples = new ChatEncoder(tokenizer, 1024).encodeAll(ChatDataset.read(data));
    }
  }

  @Test
  void stopsWhenFieldF1HasNotImprovedForPatienceEvaluationsAndKeepsTheBestWeights()
      throws IOException {
    // Measured every 2 steps: best at step 4, then two measurements without improvement.
    Deque<Double> scores = new ArrayDeque<>(List.of(0.2, 0.5, 0.5, 0.3, 0.9, 0.9));
    Map<Integer, Map<String, Tensor>> weightsAt = new HashMap<>();
    List<JobEvent> events = new ArrayList<>();
    List<TrainingCheckpoint> checkpoints = new ArrayList<>();
    TrainingSummary summary;
    Map<String, Tensor> delivered;
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 7)) {
      summary =
          trainer(model, events, weightsAt, checkpoints)
              .optFieldF1(scores::pop, true)
              .build()
              .train();
      delivered = model.exportTrainable();
    }

    assertThat(summary.stoppedEarly()).isTrue();
    assertThat(summary.steps()).isEqualTo(8);
    assertThat(events.stream().filter(e -> e.type() == JobEvent.Type.FIELD_F1))
        .extracting(JobEvent::step, JobEvent::loss)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2, 0.2),
            org.assertj.core.groups.Tuple.tuple(4, 0.5),
            org.assertj.core.groups.Tuple.tuple(6, 0.5),
            org.assertj.core.groups.Tuple.tuple(8, 0.3));
    assertThat(events)
        .extracting(JobEvent::message)
        .contains(
            "early stopping at step 8: field F1 has not improved on 0.5000 for 2 evaluations",
            "kept the weights of step 4, the best field F1 (0.5000)");
    assertSameWeights(delivered, weightsAt.get(4));
    TrainingCheckpoint last = checkpoints.getLast();
    assertThat(last.state().step()).isEqualTo(8);
    assertThat(last.state().bestValidationLoss()).isEqualTo(0.5);
    assertSameWeights(last.weights(), weightsAt.get(4));
  }

  @Test
  void stoppingOnLossIgnoresTheFieldF1ButStillReportsIt() throws IOException {
    List<JobEvent> events = new ArrayList<>();
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 7)) {
      trainer(model, events, new HashMap<>(), new ArrayList<>())
          .optFieldF1(() -> 0.0, false)
          .build()
          .train();
    }
    assertThat(events.stream().filter(e -> e.type() == JobEvent.Type.FIELD_F1)).hasSize(10);
    assertThat(events.stream().filter(e -> e.type() == JobEvent.Type.LOG))
        .extracting(JobEvent::message)
        .noneMatch(m -> m.contains("field F1 has"));
  }

  private static Trainer.Builder trainer(
      LlamaModel model,
      List<JobEvent> events,
      Map<Integer, Map<String, Tensor>> weightsAt,
      List<TrainingCheckpoint> checkpoints) {
    return Trainer.builder()
        .setModel(model)
        .setExamples(examples, 0)
        .optEpochs(10)
        .optMaxSteps(20)
        .optBatchSize(2)
        .optLearningRate(5e-3)
        .optSeed(7)
        .optValidation(examples.subList(0, 4), 2, 2)
        .optCheckpoints(0, checkpoints::add)
        .optListener(
            event -> {
              events.add(event);
              if (event.type() == JobEvent.Type.VALIDATION) {
                weightsAt.put(event.step(), model.exportTrainable());
              }
            });
  }

  private static void assertSameWeights(Map<String, Tensor> actual, Map<String, Tensor> expected) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    actual.forEach(
        (name, tensor) ->
            assertThat(tensor.values()).as(name).containsExactly(expected.get(name).values()));
  }
}
