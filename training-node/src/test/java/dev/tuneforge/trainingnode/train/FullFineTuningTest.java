package dev.tuneforge.trainingnode.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.Hyperparameters;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full fine-tuning on a tiny Qwen2-shaped model (q/k/v biases, tied embeddings) and twelve SROIE
 * receipts: every weight moves, the tie holds, checkpoints hold every weight, and a resume on a
 * fresh model continues exactly.
 */
class FullFineTuningTest {

  static {
    TestEngine.useOneThread();
  }

  private static final LoraSettings IGNORED_LORA = new LoraSettings(4, 8, 0.1, List.of("q_proj"));
  private static final TrainingSpec SPEC =
      new TrainingSpec(
          "job-full",
          "tuneforge/demo-qwen2",
          IGNORED_LORA,
          new Hyperparameters(10, 2e-3, 2, 1024, 7, 20),
          TrainingOptions.builder()
              .optCheckpointEvery(5)
              .optSchedule("cosine")
              .optWeightDecay(0.1)
              .build(),
          TrainingSpec.FULL);

  @TempDir static Path shared;
  @TempDir Path dir;

  private static Path modelDir;
  private static List<EncodedExample> examples;
  private static String dataSha256;

  @BeforeAll
  static void writeModelAndData() throws IOException {
    modelDir = shared.resolve("model");
    DemoModelWriter.builder()
        .optSeed(5)
        .optArchitecture("Qwen2ForCausalLM")
        .optHiddenSize(32)
        .optIntermediateSize(48)
        .build()
        .writeTo(modelDir);
    Path data = shared.resolve("train.jsonl");
    Files.write(data, Files.readAllLines(TrainerTest.SROIE).subList(0, 12));
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDir)) {
      examples =
          new ChatEncoder(tokenizer, 1024)
              .encodeAll(ChatDataset.read(data)).stream()
                  .filter(e -> e.trainableTokens() > 0)
                  .toList();
    }
    dataSha256 = CheckpointStore.sha256(data);
  }

  @Test
  void everyWeightTrainsAndTheTiedHeadStaysTied() throws IOException {
    Map<String, Tensor> base = SafeTensors.read(modelDir.resolve("model.safetensors")).tensors();
    TrainingSummary summary;
    Map<String, Tensor> tuned;
    try (LlamaModel model = LlamaModel.loadForFullFineTuning(modelDir)) {
      assertThat(model.fullFineTuning()).isTrue();
      assertThat(model.loraParameters()).isEmpty();
      assertThat(model.trainableParameters().keySet())
          .isEqualTo(base.keySet())
          .doesNotContain("lm_head.weight");
      assertThat(model.parametersWithoutWeightDecay())
          .contains(
              "model.norm.weight",
              "model.layers.0.input_layernorm.weight",
              "model.layers.1.self_attn.q_proj.bias")
          .doesNotContain("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight");
      summary = trainer(model, store(dir), new ArrayList<>()).optMaxSteps(6).build().train();
      tuned = model.exportTrainable();
    }
    assertThat(summary.losses().getLast()).isLessThan(summary.losses().getFirst());
    base.forEach(
        (name, tensor) ->
            assertThat(Arrays.equals(tuned.get(name).values(), tensor.values()))
                .as("%s unchanged", name)
                .isFalse());
  }

  @Test
  void twentyStepsStraightEqualTenResumedOnAFreshModelAndTenMore() throws IOException {
    Path straightDir = dir.resolve("straight");
    Path firstDir = dir.resolve("first");
    TrainingSummary straight;
    Map<String, Tensor> straightWeights;
    try (LlamaModel model = LlamaModel.loadForFullFineTuning(modelDir)) {
      straight = trainer(model, store(straightDir), new ArrayList<>()).build().train();
      straightWeights = model.exportTrainable();
    }
    try (LlamaModel model = LlamaModel.loadForFullFineTuning(modelDir)) {
      trainer(model, store(firstDir), new ArrayList<>()).build().train(10);
    }
    Path step10 = firstDir.resolve("step-10");
    try (var files = Files.list(step10)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("model.safetensors", "optimizer.safetensors", "trainer_state.json");
    }
    assertThat(SafeTensors.shapes(step10.resolve("model.safetensors")))
        .containsOnlyKeys(SafeTensors.shapes(modelDir.resolve("model.safetensors")).keySet());
    assertThat(SafeTensors.shapes(step10.resolve("optimizer.safetensors")))
        .containsKeys(
            "model.embed_tokens.weight.exp_avg", "model.layers.1.self_attn.v_proj.bias.exp_avg_sq");

    // Another node: the base model from its files, a new trainer, the checkpoint read back.
    TrainingCheckpoint checkpoint = CheckpointStore.read(step10);
    store(dir.resolve("second")).verify(checkpoint);
    List<JobEvent> events = new ArrayList<>();
    TrainingSummary resumed;
    Map<String, Tensor> resumedWeights;
    try (LlamaModel model = LlamaModel.loadForFullFineTuning(modelDir)) {
      resumed =
          trainer(model, store(dir.resolve("second")), events)
              .optResumeFrom(checkpoint)
              .build()
              .train();
      resumedWeights = model.exportTrainable();
    }
    assertThat(resumed.steps()).isEqualTo(20);
    assertThat(events).filteredOn(e -> e.type() == JobEvent.Type.METRIC).hasSize(10);
    for (int i = 0; i < 20; i++) {
      assertThat(resumed.losses().get(i))
          .as("loss of step %d", i + 1)
          .isCloseTo(straight.losses().get(i), within(1e-5));
    }
    straightWeights.forEach(
        (name, tensor) -> {
          float[] expected = tensor.values();
          float[] actual = resumedWeights.get(name).values();
          for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s[%d]", name, i).isCloseTo(expected[i], within(1e-5f));
          }
        });
  }

  @Test
  void aLoraCheckpointDoesNotResumeAFullRun() throws IOException {
    try (LlamaModel model = LlamaModel.load(modelDir, IGNORED_LORA, 7)) {
      trainer(model, new CheckpointStore(dir, loraSpec(), dataSha256, null), new ArrayList<>())
          .build()
          .train(5);
    }
    TrainingCheckpoint lora = CheckpointStore.read(dir.resolve("step-5"));
    assertThatThrownBy(() -> store(dir.resolve("other")).verify(lora))
        .hasMessageContaining("method");
    try (LlamaModel model = LlamaModel.loadForFullFineTuning(modelDir)) {
      assertThatThrownBy(
              () ->
                  trainer(model, store(dir.resolve("other")), new ArrayList<>())
                      .optResumeFrom(lora)
                      .build()
                      .train())
          .isInstanceOf(CheckpointException.class)
          .hasMessageContaining("weights are not those of this model");
    }
  }

  private static TrainingSpec loraSpec() {
    return new TrainingSpec(
        SPEC.jobId(), SPEC.baseModel(), IGNORED_LORA, SPEC.hyperparameters(), SPEC.options());
  }

  private static Trainer.Builder trainer(
      LlamaModel model, Trainer.CheckpointSink sink, List<JobEvent> events) {
    return Trainer.builder()
        .setModel(model)
        .setExamples(examples, 0)
        .optEpochs(10)
        .optMaxSteps(20)
        .optBatchSize(2)
        .optLearningRate(2e-3)
        .optWeightDecay(0.1)
        .optDecay(LearningRateSchedule.Decay.COSINE)
        .optSeed(7)
        .optCheckpoints(5, sink)
        .optListener(events::add);
  }

  private static Trainer.Builder trainer(
      LlamaModel model, CheckpointStore store, List<JobEvent> events) {
    return trainer(model, store::write, events);
  }

  private static CheckpointStore store(Path directory) {
    return new CheckpointStore(directory, SPEC, dataSha256, null);
  }
}
