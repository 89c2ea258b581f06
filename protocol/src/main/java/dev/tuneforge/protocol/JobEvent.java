package dev.tuneforge.protocol;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One event of a running job. {@code type} is {@code metric} (step, loss, learning rate,
 * tokens per second, tokens so far), {@code validation} (step, validation loss), {@code sample}
 * (step; message: what the tuned model so far answered to a validation prompt), {@code
 * evaluation} (step: examples generated so far, totalSteps: examples in all; message) or {@code
 * log} (message).
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

  public static JobEvent sample(int step, String text) {
    return new JobEvent("sample", Instant.now(), step, null, null, null, null, null, text);
  }

  public static JobEvent evaluation(int done, int total, String message) {
    return new JobEvent("evaluation", Instant.now(), done, total, null, null, null, null, message);
  }

  public static JobEvent log(String message) {
    return new JobEvent("log", Instant.now(), null, null, null, null, null, null, message);
  }
}
