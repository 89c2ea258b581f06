package dev.tuneforge.trainingnode.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.SafeTensorsFile;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TrainerTest {

  static {
    TestEngine.useOneThread();
  }

  static final Path SROIE = Path.of("src/test/resources/train/sroie-20.jsonl");

  @TempDir Path dir;

  /** 30 steps of batch 2 at lr 5e-3 on {@code examples}: enough for the loss to fall by 1. */
  static Trainer.Builder thirtyStepsOf(LlamaModel model, List<EncodedExample> examples) {
    return Trainer.builder()
        .setModel(model)
        .setExamples(examples, 0)
        .optEpochs(10)
        .optMaxSteps(30)
        .optBatchSize(2)
        .optLearningRate(5e-3)
        .optSeed(42);
  }

  @Test
  void lossFallsOnReceiptsAndTheAdapterLoadsBack() throws IOException {
    Path modelDir = dir.resolve("model");
    DemoModelWriter.write(modelDir, 42);
    LoraSettings lora =
        new LoraSettings(
            8,
            16,
            0.05,
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"));
    List<EncodedExample> examples;
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDir)) {
      examples = new ChatEncoder(tokenizer, 1024).encodeAll(ChatDataset.read(SROIE));
    }
    List<JobEvent> events = new ArrayList<>();

    TrainingSummary summary;
    int arraysBefore;
    int arraysAfter;
    try (LlamaModel model = LlamaModel.load(modelDir, lora, 42)) {
      NDManager parameters = model.loraParameters().values().iterator().next().getManager();
      arraysBefore = parameters.getManagedArrays().size();
      Trainer trainer = thirtyStepsOf(model, examples).optListener(events::add).build();
      summary = trainer.train();
      arraysAfter = parameters.getManagedArrays().size();
      PeftAdapterWriter.write(
          dir.resolve("adapter"), lora, "tuneforge/demo-llama", model.exportLora());
    }

    List<Double> losses = summary.losses();
    double first =
        losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double last =
        losses.subList(25, 30).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertThat(summary.steps()).isEqualTo(30);
    assertThat(last).as("losses %s", losses).isLessThan(first - 1.0);
    assertThat(arraysAfter).as("arrays left in the parameters' manager").isEqualTo(arraysBefore);
    assertThat(events).hasSize(30);
    assertThat(events.getLast().step()).isEqualTo(30);
    assertThat(events.getLast().totalSteps()).isEqualTo(30);
    assertThat(events.getLast().tokens()).isEqualTo(summary.trainedTokens());
    assertThat(events.get(1).learningRate()).isGreaterThan(events.get(0).learningRate());

    SafeTensorsFile adapter = SafeTensors.read(dir.resolve("adapter/adapter_model.safetensors"));
    assertThat(adapter.metadata()).containsEntry("format", "pt");
    assertThat(adapter.tensors()).hasSize(2 * 7 * 2);
    assertThat(
            adapter
                .tensor("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight")
                .shape())
        .containsExactly(8, 64);
    assertThat(
            adapter
                .tensor("base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight")
                .shape())
        .containsExactly(32, 8);
    assertThat(
            adapter.tensor("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight").shape())
        .containsExactly(8, 172);
    assertThat(
            adapter.tensor("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight").values())
        .isNotEqualTo(new float[64 * 8]);
    JsonNode config =
        JsonMapper.builder()
            .build()
            .readTree(Files.readString(dir.resolve("adapter/adapter_config.json")));
    assertThat(config.path("peft_type").asString()).isEqualTo("LORA");
    assertThat(config.path("task_type").asString()).isEqualTo("CAUSAL_LM");
    assertThat(config.path("r").asInt()).isEqualTo(8);
    assertThat(config.path("lora_alpha").asInt()).isEqualTo(16);
    assertThat(config.path("bias").asString()).isEqualTo("none");
    assertThat(config.path("base_model_name_or_path").asString()).isEqualTo("tuneforge/demo-llama");
    assertThat(config.path("target_modules").size()).isEqualTo(7);
  }
}
