package dev.tuneforge.app.evaluation;

import dev.tuneforge.protocol.EvaluationExample;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How fast and how long base and tuned answered in the evaluation, from the node's per-example
 * timings in the generations: the device it ran on, and per model the distributions (p50, p90, max)
 * of time to first token, decode tokens per second and output length in tokens. A figure is null
 * where no example has it (generations from before timings were measured).
 */
public record LatencyFigures(@Nullable String device, ModelLatency base, ModelLatency tuned) {

  /** One model's distributions over the evaluation's examples. */
  public record ModelLatency(
      @Nullable Distribution firstTokenSeconds,
      @Nullable Distribution tokensPerSecond,
      Distribution outputTokens) {}

  /**
   * Nearest-rank percentiles of the examples that have the figure: p of n sorted values is the one
   * at 1-based rank ⌈p·n⌉.
   */
  public record Distribution(int examples, double p50, double p90, double max) {

    static @Nullable Distribution of(List<@Nullable Double> values) {
      double[] sorted = values.stream().filter(Objects::nonNull).mapToDouble(v -> v).toArray();
      if (sorted.length == 0) {
        return null;
      }
      Arrays.sort(sorted);
      return new Distribution(
          sorted.length, rank(sorted, 0.5), rank(sorted, 0.9), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double p) {
      return sorted[Math.max(0, (int) Math.ceil(p * sorted.length - 1e-9) - 1)];
    }
  }

  public static LatencyFigures of(List<EvaluationExample> examples, @Nullable String device) {
    return new LatencyFigures(
        device,
        model(
            examples,
            EvaluationExample::baseFirstTokenSeconds,
            EvaluationExample::baseTokensPerSecond,
            e -> (double) e.baseOutputTokens()),
        model(
            examples,
            EvaluationExample::tunedFirstTokenSeconds,
            EvaluationExample::tunedTokensPerSecond,
            e -> (double) e.tunedOutputTokens()));
  }

  private static ModelLatency model(
      List<EvaluationExample> examples,
      Function<EvaluationExample, @Nullable Double> firstToken,
      Function<EvaluationExample, @Nullable Double> rate,
      Function<EvaluationExample, Double> tokens) {
    return new ModelLatency(
        Distribution.of(examples.stream().map(firstToken).toList()),
        Distribution.of(examples.stream().map(rate).toList()),
        Objects.requireNonNull(Distribution.of(examples.stream().map(tokens).toList())));
  }
}
