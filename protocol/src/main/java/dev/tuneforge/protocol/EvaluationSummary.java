package dev.tuneforge.protocol;

import org.jspecify.annotations.Nullable;

/**
 * {@code evaluation/summary.json}, written by the node after training when the lease asked for an
 * evaluation: how many examples were generated for, the decoding settings, the teacher-forced
 * {@link TokenScores} of both models, and the wall-clock seconds and tokens the evaluation took
 * (metered apart from training). {@code error} is set, and the scores may be null, when the
 * evaluation could not run; the adapter is still good. A DPO job's evaluation set holds preference
 * pairs: it has {@code preference} (its {@code examples} are the pairs) and no token scores. {@code
 * device} is what the node evaluated on, as its log says it ({@code cpu}, {@code cuda (GPU 0, CUDA
 * 12.4, …)}); null in summaries from before it was reported.
 */
public record EvaluationSummary(
    int examples,
    String decoding,
    int maxNewTokens,
    @Nullable TokenScores base,
    @Nullable TokenScores tuned,
    double seconds,
    long generatedTokens,
    @Nullable String error,
    @Nullable PreferenceAccuracy preference,
    @Nullable String device) {

  /** The evaluation of a job that is not DPO. */
  public EvaluationSummary(
      int examples,
      String decoding,
      int maxNewTokens,
      @Nullable TokenScores base,
      @Nullable TokenScores tuned,
      double seconds,
      long generatedTokens,
      @Nullable String error) {
    this(
        examples, decoding, maxNewTokens, base, tuned, seconds, generatedTokens, error, null, null);
  }
}
