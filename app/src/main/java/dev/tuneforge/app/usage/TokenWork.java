package dev.tuneforge.app.usage;

import dev.tuneforge.modelformat.ModelConfig;
import org.jspecify.annotations.Nullable;

/**
 * The multiply-adds one trained token takes, forward and backward, by method: what makes a LoRA
 * job's measured speed a full fine-tune's, or one model's another's. Every projection and the
 * output head run once forward and once more for the gradient of their input, whatever trains; full
 * fine-tuning adds their weight gradients (a third pass over each weight). The attention's two
 * products (scores and weighted values, over every token of the row, as this trainer materialises
 * the whole T × T matrix) run once forward and twice backward for either method, and add no weight
 * gradients. LoRA's own low-rank matrices are small beside these and left out.
 *
 * <p>On a large model the projections dominate and full fine-tuning costs 3/2 of LoRA per token; on
 * a small model with long rows the attention does, and the two cost nearly the same.
 */
final class TokenWork {
  private TokenWork() {}

  /**
   * Multiply-adds per trained token of {@code method} on the model of {@code configJson}, for rows
   * of {@code tokensPerRow} tokens; without a readable config, {@code parameters} × 2 (LoRA) or × 3
   * (full), the rule for a model whose attention is small beside its weights.
   */
  static double perToken(
      @Nullable String configJson, long parameters, String method, double tokensPerRow) {
    double weightPasses = "full".equals(method) ? 3 : 2;
    ModelConfig config = config(configJson);
    if (config == null) {
      return weightPasses * parameters;
    }
    double weights = (double) config.vocabSize() * config.hiddenSize();
    for (String projection : ModelConfig.PROJECTIONS) {
      long[] shape = config.projectionShape(projection);
      weights += (double) config.numHiddenLayers() * shape[0] * shape[1];
    }
    double attention =
        2.0
            * config.numHiddenLayers()
            * config.numAttentionHeads()
            * config.headDim()
            * Math.max(1, tokensPerRow);
    return weightPasses * weights + 3 * attention;
  }

  private static @Nullable ModelConfig config(@Nullable String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return ModelConfig.parse(json);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
