package dev.tuneforge.trainingnode.evaluate;

import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.TokenScores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The evaluation a job runs after writing its adapter: the first cases of its evaluation set
 * through a {@link ModelComparison}, {@code evaluation} events as batches finish, and the files of
 * {@link EvaluationFiles}. It never fails the job: the adapter is good whatever happens here, so an
 * error goes into the summary's {@code error}, with an empty generations file.
 */
public final class JobEvaluation {

  static final String DECODING = "greedy";

  private JobEvaluation() {}

  public static EvaluationSummary run(
      Path jobDirectory,
      Path evaluationSet,
      int count,
      ModelComparison.Builder comparison,
      String device,
      Consumer<JobEvent> events) {
    long started = System.nanoTime();
    int maxNewTokens = comparison.maxNewTokens();
    try {
      List<EvaluationCase> cases = EvaluationSet.first(evaluationSet, count);
      events.accept(
          JobEvent.evaluation(
              0,
              cases.size(),
              "evaluating the base and the tuned model on "
                  + cases.size()
                  + " examples of "
                  + evaluationSet.getFileName()));
      ModelComparison.Result result =
          comparison
              .optProgress(
                  (done, total) ->
                      events.accept(
                          JobEvent.evaluation(
                              done, total, "evaluated " + done + " of " + total + " examples")))
              .build()
              .compare(cases);
      String error =
          result.stopReason() == null
              ? null
              : "stopped after "
                  + result.examples().size()
                  + " of "
                  + cases.size()
                  + " examples: "
                  + result.stopReason();
      EvaluationSummary summary =
          new EvaluationSummary(
              result.examples().size(),
              DECODING,
              maxNewTokens,
              result.base(),
              result.tuned(),
              seconds(started),
              result.generatedTokens(),
              error,
              null,
              device);
      EvaluationFiles.write(jobDirectory, result.examples(), summary);
      events.accept(JobEvent.log(describe(summary)));
      return summary;
    } catch (Exception | OutOfMemoryError e) {
      e.printStackTrace();
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      EvaluationSummary failed =
          new EvaluationSummary(
              0,
              DECODING,
              maxNewTokens,
              null,
              null,
              seconds(started),
              0,
              "evaluation failed: " + message,
              null,
              device);
      events.accept(JobEvent.log(failed.error() + "; the adapter is not affected"));
      try {
        EvaluationFiles.write(jobDirectory, List.of(), failed);
      } catch (IOException written) {
        events.accept(
            JobEvent.log("could not write the evaluation summary: " + written.getMessage()));
      }
      return failed;
    }
  }

  private static double seconds(long started) {
    return (System.nanoTime() - started) / 1e9;
  }

  private static String describe(EvaluationSummary summary) {
    String text =
        String.format(
            Locale.ROOT,
            "evaluated %d examples in %.1f s, %d tokens generated",
            summary.examples(),
            summary.seconds(),
            summary.generatedTokens());
    TokenScores base = summary.base();
    TokenScores tuned = summary.tuned();
    if (base != null && tuned != null) {
      text +=
          String.format(
              Locale.ROOT,
              "; loss %.3f (base) -> %.3f (tuned), token accuracy %.1f%% -> %.1f%%",
              base.loss(),
              tuned.loss(),
              100 * base.tokenAccuracy(),
              100 * tuned.tokenAccuracy());
    }
    return summary.error() == null ? text : text + "; " + summary.error();
  }
}
