package dev.tuneforge.trainingnode.evaluate;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.PreferenceAccuracy;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.StepScalars;
import dev.tuneforge.trainingnode.train.Batches;
import dev.tuneforge.trainingnode.train.EncodedPairs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A DPO job's evaluation: on held-out preference pairs, how often the base (the adapter disabled)
 * and the tuned model give the chosen answer a higher summed log-probability than the rejected one
 * ({@link PreferenceAccuracy}), written as the evaluation summary with no generations. Like {@link
 * JobEvaluation} it never fails the job.
 */
public final class PreferenceEvaluation {

  static final String DECODING = "preference";

  private PreferenceEvaluation() {}

  public static EvaluationSummary run(
      Path jobDirectory,
      LlamaModel model,
      EncodedPairs pairs,
      int count,
      int batchSize,
      long padId,
      Consumer<JobEvent> events) {
    long started = System.nanoTime();
    int n = Math.min(count, pairs.size());
    EvaluationSummary summary;
    try {
      events.accept(
          JobEvent.evaluation(
              0,
              n,
              "measuring preference accuracy of the base and the tuned model on "
                  + n
                  + " held-out pairs"));
      int base = 0;
      int tuned = 0;
      try (NDManager root = NDManager.newBaseManager(model.device())) {
        for (int from = 0; from < n; from += batchSize) {
          int to = Math.min(from + batchSize, n);
          List<EncodedExample> rows = new ArrayList<>(pairs.chosen().subList(from, to));
          rows.addAll(pairs.rejected().subList(from, to));
          try (NDManager scope = root.newSubManager()) {
            StepScalars scalars = new StepScalars(scope);
            var batch = Batches.collate(rows, padId);
            base +=
                preferred(
                    model.sequenceLogProbs(scope, scalars, batch, false, false).toFloatArray());
            tuned +=
                preferred(
                    model.sequenceLogProbs(scope, scalars, batch, false, true).toFloatArray());
          }
          events.accept(JobEvent.evaluation(to, n, "evaluated " + to + " of " + n + " pairs"));
        }
      }
      PreferenceAccuracy accuracy =
          new PreferenceAccuracy(
              n, n == 0 ? 0 : (double) base / n, n == 0 ? 0 : (double) tuned / n);
      summary =
          new EvaluationSummary(
              n, DECODING, 0, null, null, seconds(started), 0, null, accuracy, null);
      events.accept(
          JobEvent.log(
              String.format(
                  Locale.ROOT,
                  "preference accuracy on %d held-out pairs: %.1f%% (base) -> %.1f%% (tuned)",
                  n,
                  100 * accuracy.base(),
                  100 * accuracy.tuned())));
    } catch (RuntimeException | OutOfMemoryError e) {
      e.printStackTrace();
      summary =
          new EvaluationSummary(
              0,
              DECODING,
              0,
              null,
              null,
              seconds(started),
              0,
              "evaluation failed: " + e.getMessage());
      events.accept(JobEvent.log(summary.error() + "; the adapter is not affected"));
    }
    try {
      EvaluationFiles.write(jobDirectory, List.of(), summary);
    } catch (IOException e) {
      events.accept(JobEvent.log("could not write the evaluation summary: " + e.getMessage()));
    }
    return summary;
  }

  /** Pairs whose chosen row (first half) outscores its rejected row (second half). */
  private static int preferred(float[] logProbs) {
    int n = logProbs.length / 2;
    int count = 0;
    for (int i = 0; i < n; i++) {
      count += logProbs[i] > logProbs[n + i] ? 1 : 0;
    }
    return count;
  }

  private static double seconds(long started) {
    return (System.nanoTime() - started) / 1e9;
  }
}
