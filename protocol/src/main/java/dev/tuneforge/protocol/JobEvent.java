package dev.tuneforge.protocol;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One event of a running job. {@code type} is {@code metric} (step, loss, learning rate,
 * tokens per second, tokens so far) or {@code log} (message).
 */
public record JobEvent(
    String type,
    Instant at,
    @Nullable Integer step,
    @Nullable Integer totalSteps,
    @Nullable Double loss,
    @Nullable Double learningRate,
    @Nullable Double tokensPerSecond,
    @Nullable Long tokens,
    @Nullable String message) {

  public static JobEvent metric(
      int step, int totalSteps, double loss, double learningRate, double tokensPerSecond, long tokens) {
    return new JobEvent(
        "metric", Instant.now(), step, totalSteps, loss, learningRate, tokensPerSecond, tokens, null);
  }

  public static JobEvent log(String message) {
    return new JobEvent("log", Instant.now(), null, null, null, null, null, null, message);
  }
}
