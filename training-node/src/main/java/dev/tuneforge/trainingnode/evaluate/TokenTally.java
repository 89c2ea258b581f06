package dev.tuneforge.trainingnode.evaluate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.protocol.TokenScores;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TokenBatch;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Teacher-forced figures of one model, summed batch by batch over labelled tokens: each counts
 * once, as in the validation loss, so the mean loss is the one training reports.
 */
final class TokenTally {

  private double negativeLogLikelihood;
  private long tokens;
  private long correct;
  private final List<RowLoss> rows = new ArrayList<>();

  /** One example's summed loss over its labelled tokens. */
  record RowLoss(double negativeLogLikelihood, int tokens) {
    /** The mean per-token loss; null when no token was labelled. */
    @Nullable Double mean() {
      return tokens == 0 ? null : negativeLogLikelihood / tokens;
    }
  }

  void add(LlamaModel model, NDManager scope, TokenBatch batch, boolean adapter) {
    int length = batch.length();
    int size = batch.batchSize() * length;
    long[] targets = new long[size];
    boolean[] labelled = new boolean[size];
    for (int b = 0; b < batch.batchSize(); b++) {
      for (int t = 0; t + 1 < length; t++) {
        long label = batch.labels()[b * length + t + 1];
        if (label != TokenBatch.IGNORE) {
          targets[b * length + t] = label;
          labelled[b * length + t] = true;
        }
      }
    }
    NDArray logits = model.logits(scope, batch, false, adapter);
    NDArray index = scope.create(targets, new Shape(batch.batchSize(), length, 1));
    float[] logProbs = logits.logSoftmax(-1).gather(index, -1).toFloatArray();
    long[] predicted = logits.argMax(-1).toType(DataType.INT64, false).toLongArray();
    for (int b = 0; b < batch.batchSize(); b++) {
      double rowLoss = 0;
      int rowTokens = 0;
      for (int i = b * length; i < (b + 1) * length; i++) {
        if (labelled[i]) {
          rowLoss -= logProbs[i];
          rowTokens++;
          if (predicted[i] == targets[i]) {
            correct++;
          }
        }
      }
      negativeLogLikelihood += rowLoss;
      tokens += rowTokens;
      rows.add(new RowLoss(rowLoss, rowTokens));
    }
  }

  /** Each row's loss, batch after batch, in the order the rows were added. */
  List<RowLoss> rows() {
    return List.copyOf(rows);
  }

  /** Null when no token was labelled: a mean of nothing is not a score. */
  @Nullable TokenScores scores() {
    if (tokens == 0) {
      return null;
    }
    double loss = negativeLogLikelihood / tokens;
    return new TokenScores(loss, Math.exp(loss), (double) correct / tokens, tokens);
  }
}
