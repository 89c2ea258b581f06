package dev.tuneforge.trainingnode.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.generate.PeftAdapter;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import dev.tuneforge.trainingnode.model.TokenBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QLoRA trains LoRA over an NF4 base: the loss falls, only the LoRA matrices train, the same base
 * comes back from the same files, and the adapter loads on the unquantised base as any other.
 */
class QLoraTrainingTest {

  static {
    TestEngine.useOneThread();
  }

  private static final LoraSettings LORA =
      new LoraSettings(8, 16, 0.05, List.of("q_proj", "v_proj", "gate_proj", "down_proj"));

  @TempDir Path dir;

  @Test
  void lossFallsOverAnNf4BaseAndTheAdapterLoadsOnTheUnquantisedBase() throws IOException {
    Path modelDir = dir.resolve("model");
    DemoModelWriter.write(modelDir, 42);
    List<EncodedExample> examples;
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDir)) {
      examples = new ChatEncoder(tokenizer, 1024).encodeAll(ChatDataset.read(TrainerTest.SROIE));
    }
    TokenBatch probe = Batches.collate(examples.subList(0, 2), 0);
    TrainingSummary summary;
    float[] tunedLogits;
    float[] quantisedBaseLogits;
    try (LlamaModel model = LlamaModel.loadQuantized(modelDir, LORA, 42);
        LlamaModel plain = LlamaModel.load(modelDir, LORA, 42);
        NDManager manager = NDManager.newBaseManager()) {
      assertThat(model.quantizedBase()).isTrue();
      assertThat(model.trainableParameters().keySet())
          .isEqualTo(plain.trainableParameters().keySet());
      quantisedBaseLogits = model.logits(manager, probe, false, false).toFloatArray();
      float[] plainLogits = plain.logits(manager, probe, false, false).toFloatArray();
      assertThat(maxAbsDiff(quantisedBaseLogits, plainLogits))
          .as("NF4 changes the base's logits, a little")
          .isPositive()
          .isLessThan(0.5);
      summary = TrainerTest.thirtyStepsOf(model, examples).build().train();
      tunedLogits = model.logits(manager, probe, false).toFloatArray();
      PeftAdapterWriter.write(
          dir.resolve("adapter"), LORA, "tuneforge/demo-llama", model.exportLora());
    }
    List<Double> losses = summary.losses();
    double first = losses.subList(0, 5).stream().mapToDouble(d -> d).average().orElseThrow();
    double last = losses.subList(25, 30).stream().mapToDouble(d -> d).average().orElseThrow();
    assertThat(last).as("losses %s", losses).isLessThan(first - 1.0);

    try (LlamaModel again = LlamaModel.loadQuantized(modelDir, LORA, 7);
        LlamaModel onFullBase = PeftAdapter.load(modelDir, dir.resolve("adapter"));
        NDManager manager = NDManager.newBaseManager()) {
      assertThat(again.logits(manager, probe, false, false).toFloatArray())
          .as("the same files quantise to the same base")
          .containsExactly(quantisedBaseLogits);
      float[] deployed = onFullBase.logits(manager, probe, false).toFloatArray();
      assertThat(maxAbsDiff(deployed, tunedLogits))
          .as("the adapter on the fp32 base behaves as on the NF4 base it was trained over")
          .isLessThan(0.5 * maxAbsDiff(tunedLogits, quantisedBaseLogits));
    }
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
