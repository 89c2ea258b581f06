package dev.tuneforge.trainingnode.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits: the arg max when temperature is 0, else a draw from the softmax
 * of logits / temperature, restricted to the nucleus (top-p) as Hugging Face's {@code
 * TopPLogitsWarper} restricts it.
 */
public final class TokenSampler {

  private final double temperature;
  private final double topP;
  private final SplittableRandom random;

  public TokenSampler(double temperature, double topP, long seed) {
    this.temperature = temperature;
    this.topP = topP;
    this.random = new SplittableRandom(seed);
  }

  public int next(float[] logits) {
    return temperature == 0 ? argmax(logits) : sample(logits);
  }

  /** The first index of the largest logit, as torch.argmax breaks ties. */
  static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  private int sample(float[] logits) {
    float max = logits[argmax(logits)];
    double[] weights = new double[logits.length];
    double total = 0;
    for (int i = 0; i < logits.length; i++) {
      weights[i] = Math.exp((logits[i] - max) / temperature);
      total += weights[i];
    }
    if (topP < 1) {
      total = keepNucleus(weights, total);
    }
    double draw = random.nextDouble() * total;
    int last = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        last = i;
        draw -= weights[i];
        if (draw < 0) {
          return i;
        }
      }
    }
    return last;
  }

  /**
   * Zeroes the weights outside the smallest set of most likely tokens whose probability reaches
   * top-p (at least one token stays) and returns the weight that is left.
   */
  private double keepNucleus(double[] weights, double total) {
    // Weight bits sort as the weights do, since all are non-negative; the low half keeps the index.
    long[] order = new long[weights.length];
    for (int i = 0; i < weights.length; i++) {
      order[i] = ((long) Float.floatToIntBits((float) weights[i]) << 32) | i;
    }
    Arrays.sort(order);
    double kept = 0;
    boolean full = false;
    for (int k = order.length - 1; k >= 0; k--) {
      int index = (int) order[k];
      if (full) {
        weights[index] = 0;
      } else {
        kept += weights[index];
        full = kept >= topP * total;
      }
    }
    return kept;
  }
}
