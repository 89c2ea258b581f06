package dev.tuneforge.trainingnode.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.safetensors.DataType;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.generate.LoraFixtures;
import dev.tuneforge.trainingnode.generate.PeftAdapter;
import dev.tuneforge.trainingnode.train.PeftAdapterWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Qwen3 and Gemma 3 folders as the trainer loads them: every tensor the config implies and no
 * other, half-precision weights upcast to the fp32 values they hold, every norm trained in full
 * fine-tuning, and adapters in PEFT's usual layout.
 */
class Qwen3AndGemma3Test {

  static {
    TestEngine.useOneThread();
  }

  private static final long[] IDS = {5, 17, 99, 3, 250, 42, 7, 120, 8, 9};

  @TempDir Path dir;

  private static DemoModelWriter.Builder tiny(String architecture) {
    return DemoModelWriter.builder()
        .optSeed(9)
        .optArchitecture(architecture)
        .optHiddenSize(32)
        .optIntermediateSize(48)
        .optHeads(4, 2)
        .optHeadDim(16)
        .optSlidingWindow(4, 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Qwen3ForCausalLM", "Gemma3ForCausalLM"})
  void theConfigListsExactlyTheTensorsTheCheckpointHolds(String architecture) throws IOException {
    tiny(architecture).build().writeTo(dir);

    Map<String, long[]> stored = SafeTensors.shapes(dir.resolve("model.safetensors"));
    Map<String, long[]> listed = ModelConfig.read(dir.resolve("config.json")).tensorShapes();

    assertThat(describe(listed)).isEqualTo(describe(stored));
  }

  /**
   * A bf16 or f16 Qwen3 checkpoint trains on the fp32 values its weights hold: its logits are those
   * of an fp32 twin holding the same, rounded, values.
   */
  @ParameterizedTest
  @EnumSource(
      value = DataType.class,
      names = {"BF16", "F16"})
  void aHalfPrecisionQwen3GivesTheLogitsOfItsFp32RoundedTwin(DataType dtype) throws IOException {
    Path half = dir.resolve("half");
    Path twin = dir.resolve("twin");
    tiny("Qwen3ForCausalLM").optDataType(dtype).build().writeTo(half);
    tiny("Qwen3ForCausalLM").build().writeTo(twin);
    Map<String, Tensor> rounded = SafeTensors.read(half.resolve("model.safetensors")).tensors();
    SafeTensors.write(twin.resolve("model.safetensors"), rounded, Map.of("format", "pt"));

    assertThat(Files.size(half.resolve("model.safetensors")))
        .isLessThan(Files.size(twin.resolve("model.safetensors")) * 2 / 3);
    try (LlamaModel halfModel = PeftAdapter.loadBase(half);
        LlamaModel twinModel = PeftAdapter.loadBase(twin)) {
      float[][] halfLogits = LoraFixtures.fullLogits(halfModel, IDS);
      float[][] twinLogits = LoraFixtures.fullLogits(twinModel, IDS);
      for (int t = 0; t < IDS.length; t++) {
        assertThat(halfLogits[t]).as("position " + t).containsExactly(twinLogits[t]);
      }
    }
  }

  @Test
  void fullFineTuningOfGemma3TrainsEveryNormWithoutWeightDecay() throws IOException {
    tiny("Gemma3ForCausalLM").build().writeTo(dir);

    try (LlamaModel model = LlamaModel.loadForFullFineTuning(dir)) {
      Map<String, long[]> stored = SafeTensors.shapes(dir.resolve("model.safetensors"));
      assertThat(model.trainableParameters().keySet()).isEqualTo(stored.keySet());
      assertThat(model.parametersWithoutWeightDecay())
          .contains(
              "model.layers.0.pre_feedforward_layernorm.weight",
              "model.layers.1.post_feedforward_layernorm.weight",
              "model.layers.1.self_attn.q_norm.weight",
              "model.layers.0.self_attn.k_norm.weight",
              "model.norm.weight")
          .allMatch(name -> name.endsWith("norm.weight"))
          .hasSize(2 * 6 + 1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Qwen3ForCausalLM", "Gemma3ForCausalLM"})
  void anAdapterKeepsPeftsKeysAndLoadsBackToTheSameLogits(String architecture) throws IOException {
    Path base = dir.resolve("base");
    tiny(architecture).build().writeTo(base);
    LoraSettings lora = LoraFixtures.ALL_PROJECTIONS;
    float[][] trained;
    try (LlamaModel model = LlamaModel.load(base, lora, 4)) {
      LoraFixtures.randomizeLoraB(model, 11);
      trained = LoraFixtures.fullLogits(model, IDS);
      PeftAdapterWriter.write(dir.resolve("adapter"), lora, "tiny", model.exportLora());
    }

    assertThat(SafeTensors.shapes(dir.resolve("adapter").resolve(JobFolder.ADAPTER_WEIGHTS)))
        .hasSize(2 * 7 * 2)
        .containsKeys(
            "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
            "base_model.model.model.layers.1.mlp.down_proj.lora_B.weight");
    try (LlamaModel loaded = PeftAdapter.load(base, dir.resolve("adapter"));
        LlamaModel plain = PeftAdapter.loadBase(base)) {
      float[][] reloaded = LoraFixtures.fullLogits(loaded, IDS);
      float[][] baseOnly = LoraFixtures.fullLogits(plain, IDS);
      for (int t = 0; t < IDS.length; t++) {
        assertThat(reloaded[t]).as("position " + t).containsExactly(trained[t]);
      }
      assertThat(baseOnly[IDS.length - 1]).isNotEqualTo(trained[IDS.length - 1]);
    }
  }

  private static Map<String, String> describe(Map<String, long[]> shapes) {
    return shapes.entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, e -> Arrays.toString(e.getValue()), (a, b) -> a, TreeMap::new));
  }
}
