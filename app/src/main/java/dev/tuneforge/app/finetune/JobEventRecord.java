package dev.tuneforge.app.finetune;

import dev.tuneforge.protocol.JobEvent;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/** One stored event of a job: a training metric or a line of its event log. */
@Entity
@Table(name = "job_event")
public class JobEventRecord {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @TenantId private UUID tenantId;
  private UUID jobId;
  private Instant at;
  private JobEvent.Type type;
  private @Nullable Integer step;
  private @Nullable Integer totalSteps;
  private @Nullable Double loss;
  private @Nullable Double learningRate;
  private @Nullable Double tokensPerSecond;
  private @Nullable Long tokens;
  private @Nullable String message;

  protected JobEventRecord() {}

  JobEventRecord(
      UUID jobId,
      Instant at,
      JobEvent.Type type,
      @Nullable Integer step,
      @Nullable Integer totalSteps,
      @Nullable Double loss,
      @Nullable Double learningRate,
      @Nullable Double tokensPerSecond,
      @Nullable Long tokens,
      @Nullable String message) {
    this.jobId = jobId;
    this.at = at;
    this.type = type;
    this.step = step;
    this.totalSteps = totalSteps;
    this.loss = loss;
    this.learningRate = learningRate;
    this.tokensPerSecond = tokensPerSecond;
    this.tokens = tokens;
    this.message =
        message == null || message.length() <= 4000 ? message : message.substring(0, 4000);
  }

  private static final int MESSAGE_LIMIT = 4000;

  /** A loss at a step, as a chart plots it. */
  public record LossPoint(int step, double loss) {}

  /**
   * The values of one event type ({@code METRIC}: training loss, {@code VALIDATION}: validation
   * loss, {@code FIELD_F1}: the validation sample's field F1), in order.
   */
  public static List<LossPoint> curve(List<JobEventRecord> events, JobEvent.Type type) {
    return events.stream()
        .filter(e -> e.getType() == type && e.getLoss() != null && e.getStep() != null)
        .map(e -> new LossPoint(e.getStep(), e.getLoss()))
        .toList();
  }

  /** The message cut to what the column holds (a generated sample can run long). */
  static @Nullable String fit(@Nullable String message) {
    return message == null || message.length() <= MESSAGE_LIMIT
        ? message
        : message.substring(0, MESSAGE_LIMIT - 1) + "…";
  }

  static JobEventRecord log(UUID jobId, String message, Instant at) {
    return new JobEventRecord(
        jobId, at, JobEvent.Type.LOG, null, null, null, null, null, null, message);
  }

  public Long getId() {
    return id;
  }

  public UUID getJobId() {
    return jobId;
  }

  public Instant getAt() {
    return at;
  }

  public JobEvent.Type getType() {
    return type;
  }

  public @Nullable Integer getStep() {
    return step;
  }

  public @Nullable Integer getTotalSteps() {
    return totalSteps;
  }

  public @Nullable Double getLoss() {
    return loss;
  }

  public @Nullable Double getLearningRate() {
    return learningRate;
  }

  public @Nullable Double getTokensPerSecond() {
    return tokensPerSecond;
  }

  public @Nullable Long getTokens() {
    return tokens;
  }

  public @Nullable String getMessage() {
    return message;
  }
}
