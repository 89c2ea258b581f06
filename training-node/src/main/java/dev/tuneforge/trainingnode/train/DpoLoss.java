package dev.tuneforge.trainingnode.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.tuneforge.protocol.PreferenceSettings;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.StepScalars;
import dev.tuneforge.trainingnode.model.TokenBatch;

/**
 * DPO's sigmoid loss (Rafailov et al.; TRL's {@code loss_type="sigmoid"}) on a batch of pairs whose
 * first half holds the chosen answers and whose second half the rejected ones, in the same order:
 * {@code -log σ(β·((logπ(c) − logπref(c)) − (logπ(r) − logπref(r))))} averaged over the pairs, each
 * log-probability summed over the answer's labelled tokens, plus {@code sftWeight} times the chosen
 * answers' negative log-likelihood per token averaged over the pairs. The reference π_ref is the
 * same model with its adapter disabled, read before the gradients are recorded, so no second copy
 * of the weights is held.
 */
public final class DpoLoss {

  private final double beta;
  private final double sftWeight;

  public DpoLoss(PreferenceSettings settings) {
    this.beta = settings.beta();
    this.sftWeight = settings.sftWeight();
  }

  /** A batch's loss (a 0-d array to run backward from) and its rewards as plain sums. */
  public record Result(
      NDArray loss, int pairs, double chosenRewards, double rejectedRewards, int correct) {}

  /**
   * The reference log-probabilities of each row, {@code [2 * pairs]}: the base model's alone,
   * without dropout, as constants that carry no gradient.
   */
  public static float[] referenceLogProbs(NDManager scope, LlamaModel model, TokenBatch pairs) {
    try (NDManager reference = scope.newSubManager()) {
      return model
          .sequenceLogProbs(reference, new StepScalars(reference), pairs, false, false)
          .toFloatArray();
    }
  }

  /** The loss of {@code pairs} given their rows' {@link #referenceLogProbs}. */
  public Result compute(
      NDManager scope, LlamaModel model, TokenBatch pairs, float[] reference, boolean training) {
    int n = pairs.batchSize() / 2;
    if (pairs.batchSize() != 2 * n || n == 0 || reference.length != pairs.batchSize()) {
      throw new IllegalArgumentException(
          "a DPO batch holds the chosen answers, then as many rejected ones");
    }
    StepScalars scalars = new StepScalars(scope);
    NDArray policy = model.sequenceLogProbs(scope, scalars, pairs, training, true);
    NDArray ratios = policy.sub(scope.create(reference));
    NDArray chosen = ratios.get("0:" + n);
    NDArray rejected = ratios.get(n + ":");
    NDArray z = chosen.sub(rejected).mul(scalars.of(beta));
    // -log σ(z) = softplus(-z), PyTorch's own: finite for any z, and its gradient at z = 0 (where
    // every pair starts, LoRA's B being zero) is -σ(0), not the 0 that max(-z, 0) + log(1 +
    // exp(-|z|)) would give there.
    NDArray perPair = Activation.softPlus(z.neg());
    NDArray loss = perPair.sum().div(scalars.of(n));
    if (sftWeight > 0) {
      NDArray tokens = scope.create(answerTokens(pairs, n));
      NDArray nll = policy.get("0:" + n).div(tokens).sum().neg().div(scalars.of(n));
      loss = loss.add(nll.mul(scalars.of(sftWeight)));
    }
    float[] margins = ratios.toFloatArray();
    double chosenRewards = 0;
    double rejectedRewards = 0;
    int correct = 0;
    for (int i = 0; i < n; i++) {
      double c = beta * margins[i];
      double r = beta * margins[n + i];
      chosenRewards += c;
      rejectedRewards += r;
      correct += c > r ? 1 : 0;
    }
    return new Result(loss, n, chosenRewards, rejectedRewards, correct);
  }

  /** The labelled tokens of each chosen row, to average its log-likelihood per token. */
  private static float[] answerTokens(TokenBatch pairs, int n) {
    float[] counts = new float[n];
    for (int b = 0; b < n; b++) {
      for (int t = 1; t < pairs.length(); t++) {
        if (pairs.labels()[b * pairs.length() + t] != TokenBatch.IGNORE) {
          counts[b]++;
        }
      }
      if (counts[b] == 0) {
        throw new IllegalArgumentException("a chosen answer has no labelled tokens");
      }
    }
    return counts;
  }
}
