package dev.tuneforge.modelformat.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.modelformat.fixtures.HubModel;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Q4_K_M exports of real-layout Qwen3 (tied embeddings) and Llama 3.2 (an untied output) folders
 * 256 wide and 8 deep: npm's {@code @huggingface/gguf} finds each matrix in the type llama.cpp's
 * Q4_K_M recipe gives it (Q6_K for the output matrix and for attn_v and ffn_down of layers 0, 3, 6
 * and 7, Q4_K elsewhere, Q8_0 for attn_output, whose rows of 64 no super-block of 256 holds), and
 * our reader finds every value within half a step of its sub-block.
 */
class GgufQ4KMExportTest {

  private static final int HIDDEN = 256;
  private static final int FEED_FORWARD = 512;
  private static final int LAYERS = 8;
  private static final Set<Integer> MORE_BITS = Set.of(0, 3, 6, 7);

  @TempDir Path dir;

  enum Exported {
    QWEN3(HubModel.QWEN3_0_6B, false),
    LLAMA(HubModel.LLAMA3_2_1B, true);

    final HubModel model;
    final boolean untied;

    Exported(HubModel model, boolean untied) {
      this.model = model;
      this.untied = untied;
    }
  }

  @ParameterizedTest
  @EnumSource(Exported.class)
  void eachMatrixTakesTheTypeLlamaCppsRecipeGivesIt(Exported exported) throws Exception {
    Path tokenizer = GgufExportTest.requireReady(exported.model);
    Path folder =
        GgufExportTest.write(
            dir, exported.model, tokenizer, exported.untied, HIDDEN, FEED_FORWARD, LAYERS);
    Path file = dir.resolve("model-q4_k_m.gguf");
    GgufExport.read(folder).write(file, GgufFileType.Q4_K_M, "tuned");

    JsonNode read = GgufExportTest.readWithHuggingFace(file).getFirst();
    assertThat(read.path("metadata").path("general.file_type").asInt()).isEqualTo(15);
    Map<String, Integer> types = new LinkedHashMap<>();
    read.path("tensors")
        .forEach(t -> types.put(t.path("name").asString(), t.path("dtype").asInt()));
    types.forEach(
        (name, type) -> assertThat(type).as(name).isEqualTo(expectedType(exported, name).id()));
    assertThat(types).containsKeys("token_embd.weight", "blk.7.ffn_down.weight");

    GgufFile ours = GgufFile.read(file);
    for (Map.Entry<String, Tensor> weight : SafeTensors.readFolder(folder).entrySet()) {
      String name = GgufExport.tensorName(weight.getKey());
      float[] expected = weight.getValue().values();
      if (exported == Exported.LLAMA && name.matches("blk\\.\\d+\\.attn_[qk]\\.weight")) {
        // The export's write() narrows heads to 4 (2 for k and v) of 16 dimensions.
        expected = GgufExport.permuteRotaryRows(expected, name.contains("attn_q") ? 4 : 2, 16);
      }
      assertWithinBound(name, ours.tensor(name).type(), expected, ours.values(name));
    }
  }

  /** llama.cpp's Q4_K_M recipe, as llama_tensor_get_type states it, for this model's tensors. */
  private static GgufType expectedType(Exported exported, String name) {
    if (!name.endsWith(".weight") || name.contains("norm") || name.equals("rope_freqs.weight")) {
      return GgufType.F32;
    }
    if (name.equals("output.weight") || (!exported.untied && name.equals("token_embd.weight"))) {
      return GgufType.Q6_K;
    }
    if (name.endsWith("attn_output.weight")) {
      return GgufType.Q8_0;
    }
    if (name.endsWith("attn_v.weight") || name.endsWith("ffn_down.weight")) {
      int layer = Integer.parseInt(name.split("\\.")[1]);
      return MORE_BITS.contains(layer) ? GgufType.Q6_K : GgufType.Q4_K;
    }
    return GgufType.Q4_K;
  }

  /**
   * Each value within half a step of its sub-block; a step is at most the sub-block's range (from 0
   * for Q4_K's mins, symmetric for Q6_K) over its quants' count, plus the super-block's scale
   * resolution: the largest step over 63 (Q4_K's 6-bit scales, with the mins' resolution added) or
   * 127 (Q6_K's 8-bit ones), rounded up to f16.
   */
  private static void assertWithinBound(
      String name, GgufType type, float[] expected, float[] read) {
    if (type == GgufType.F32) {
      assertThat(read).as(name).containsExactly(expected);
      return;
    }
    if (type != GgufType.Q4_K && type != GgufType.Q6_K) {
      return;
    }
    int sub = type == GgufType.Q4_K ? 32 : 16;
    int wrong = -1;
    for (int block = 0; block < expected.length && wrong < 0; block += 256) {
      double[] steps = new double[256 / sub];
      double largestMin = 0;
      for (int j = 0; j < steps.length; j++) {
        double min = 0;
        double max = 0;
        for (int i = block + j * sub; i < block + (j + 1) * sub; i++) {
          min = Math.min(min, expected[i]);
          max = Math.max(max, type == GgufType.Q4_K ? expected[i] : Math.abs(expected[i]));
        }
        largestMin = Math.max(largestMin, -min);
        steps[j] = type == GgufType.Q4_K ? max - min : max / 31;
      }
      double dmin = largestMin / 63 * (1 + 1e-3);
      double largest = 0;
      for (int j = 0; j < steps.length; j++) {
        steps[j] = type == GgufType.Q4_K ? (steps[j] + dmin) / 15 : steps[j];
        largest = Math.max(largest, steps[j]);
      }
      double d = largest / (type == GgufType.Q4_K ? 63 : 127) * (1 + 1e-3);
      for (int i = block; i < block + 256 && wrong < 0; i++) {
        double bound = (steps[(i - block) / sub] + d) * (0.5 + 1e-5);
        wrong = Math.abs(read[i] - expected[i]) <= bound ? -1 : i;
      }
    }
    assertThat(wrong).as("%s (%s): first value beyond half a step", name, type).isEqualTo(-1);
  }
}
