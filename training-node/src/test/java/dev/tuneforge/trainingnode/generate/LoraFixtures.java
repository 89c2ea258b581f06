package dev.tuneforge.trainingnode.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TokenBatch;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test helpers: a LoRA that changes the model, and the model's own full forward pass. */
public final class LoraFixtures {

  public static final LoraSettings ALL_PROJECTIONS =
      new LoraSettings(4, 8, 0, LlamaModel.PROJECTIONS);

  private LoraFixtures() {}

  /**
   * Fresh B is zero, which would hide the adapter; give it values large enough to change tokens.
   */
  public static void randomizeLoraB(LlamaModel model, long seed) {
    Random random = new Random(seed);
    for (Map.Entry<String, NDArray> entry : model.loraParameters().entrySet()) {
      if (entry.getKey().contains("lora_B")) {
        NDArray b = entry.getValue();
        float[] values = new float[(int) b.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (random.nextGaussian() * 0.2);
        }
        b.set(values);
      }
    }
  }

  /**
   * Logits {@code [length][vocab]} of one unpadded sequence, from the model's training forward
   * pass.
   */
  public static float[][] fullLogits(LlamaModel model, long[] ids) {
    long[] mask = new long[ids.length];
    long[] labels = new long[ids.length];
    Arrays.fill(mask, 1);
    Arrays.fill(labels, TokenBatch.IGNORE);
    try (NDManager step = NDManager.newBaseManager()) {
      float[] flat =
          model
              .logits(step, new TokenBatch(1, ids.length, ids, mask, labels), false)
              .toFloatArray();
      int vocab = flat.length / ids.length;
      float[][] rows = new float[ids.length][];
      for (int t = 0; t < ids.length; t++) {
        rows[t] = Arrays.copyOfRange(flat, t * vocab, (t + 1) * vocab);
      }
      return rows;
    }
  }

  /** Greedy decoding without a cache: the whole sequence runs through the model for every token. */
  public static long[] greedyWithoutCache(LlamaModel model, long[] prompt, int newTokens) {
    long[] ids = prompt.clone();
    for (int i = 0; i < newTokens; i++) {
      float[][] logits = fullLogits(model, ids);
      ids = Arrays.copyOf(ids, ids.length + 1);
      ids[ids.length - 1] = TokenSampler.argmax(logits[logits.length - 1]);
    }
    return Arrays.copyOfRange(ids, prompt.length, ids.length);
  }

  public static List<Long> boxed(long[] ids) {
    return Arrays.stream(ids).boxed().toList();
  }
}
