package dev.tuneforge.trainingnode.train;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TokenBatch;
import java.util.List;

/**
 * The loss on held-out examples: no dropout, no gradients, each labelled token weighing the same.
 */
final class HeldOutLoss {

  private HeldOutLoss() {}

  static double of(
      LlamaModel model,
      NDManager root,
      List<EncodedExample> examples,
      int batchSize,
      long padTokenId) {
    double weighted = 0;
    long tokens = 0;
    for (int from = 0; from < examples.size(); from += batchSize) {
      TokenBatch batch =
          Batches.collate(
              examples.subList(from, Math.min(from + batchSize, examples.size())), padTokenId);
      try (NDManager scope = root.newSubManager()) {
        weighted += model.loss(scope, batch, false).getFloat() * (double) batch.trainableTokens();
        tokens += batch.trainableTokens();
      }
    }
    return weighted / tokens;
  }
}
