package dev.tuneforge.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One event of a running job, of a {@link Type} that says which fields it carries. */
public record JobEvent(
    Type type,
    Instant at,
    @Nullable Integer step,
    @Nullable Integer totalSteps,
    @Nullable Double loss,
    @Nullable Double learningRate,
    @Nullable Double tokensPerSecond,
    @Nullable Long tokens,
    @Nullable String message) {

  /** What an event reports; on the wire in lower case ({@code metric}, {@code log}, …). */
  public enum Type {
    /**
     * A training step: step, totalSteps, loss, learning rate, tokens per second, tokens so far; for
     * DPO also the step's {@link PreferenceMetrics} as message.
     */
    METRIC,
    /** A validation loss: step, totalSteps, loss; message. */
    VALIDATION,
    /** What the tuned model so far answered to a validation prompt: step; message. */
    SAMPLE,
    /**
     * The evaluation's progress: step (examples generated so far), totalSteps (examples in all);
     * message.
     */
    EVALUATION,
    /** Anything a user should read: message. */
    LOG,
    /**
     * A merge's progress (merge leases, protocol version 2): step (weights merged or written so
     * far), totalSteps; message.
     */
    MERGE,
    /**
     * The micro field F1 (0 to 1) of the tuned model so far on the fixed validation sample: step,
     * totalSteps, loss (holding the F1); message.
     */
    FIELD_F1;

    @JsonValue
    public String wire() {
      return WireNames.of(this);
    }

    /** The type spelled {@code name} on the wire; an unknown one is refused with the known ones. */
    @JsonCreator
    public static Type fromWire(String name) {
      return WireNames.parse(values(), name, "job event type");
    }
  }

  public static JobEvent metric(
      int step,
      int totalSteps,
      double loss,
      double learningRate,
      double tokensPerSecond,
      long tokens) {
    return metric(step, totalSteps, loss, learningRate, tokensPerSecond, tokens, null);
  }

  /**
   * A training step; a DPO step's message holds its {@link PreferenceMetrics}, other steps have
   * none.
   */
  public static JobEvent metric(
      int step,
      int totalSteps,
      double loss,
      double learningRate,
      double tokensPerSecond,
      long tokens,
      @Nullable PreferenceMetrics rewards) {
    return new JobEvent(
        Type.METRIC,
        Instant.now(),
        step,
        totalSteps,
        loss,
        learningRate,
        tokensPerSecond,
        tokens,
        rewards == null ? null : rewards.message());
  }

  public static JobEvent validation(int step, int totalSteps, double loss, String message) {
    return new JobEvent(
        Type.VALIDATION, Instant.now(), step, totalSteps, loss, null, null, null, message);
  }

  public static JobEvent sample(int step, String text) {
    return new JobEvent(Type.SAMPLE, Instant.now(), step, null, null, null, null, null, text);
  }

  public static JobEvent fieldF1(int step, int totalSteps, double f1, String message) {
    return new JobEvent(
        Type.FIELD_F1, Instant.now(), step, totalSteps, f1, null, null, null, message);
  }

  public static JobEvent evaluation(int done, int total, String message) {
    return new JobEvent(
        Type.EVALUATION, Instant.now(), done, total, null, null, null, null, message);
  }

  public static JobEvent merge(int done, int total, String message) {
    return new JobEvent(Type.MERGE, Instant.now(), done, total, null, null, null, null, message);
  }

  public static JobEvent log(String message) {
    return new JobEvent(Type.LOG, Instant.now(), null, null, null, null, null, null, message);
  }
}
