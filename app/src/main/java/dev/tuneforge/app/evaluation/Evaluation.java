package dev.tuneforge.app.evaluation;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * The stored evaluation of one fine-tune: where its generations are, how they were decoded, and the
 * metrics computed from them (JSON of {@link ModelMetrics} and {@link FieldMetrics}); or why it
 * failed.
 */
@Entity
@Table(name = "evaluation")
public class Evaluation {
  @Id private UUID jobId;
  @TenantId private UUID tenantId;
  private Status status;
  private @Nullable String error;
  private String kind;
  private int examples;
  private String decoding;
  private int maxNewTokens;
  private double seconds;
  private long generatedTokens;
  private String generationsKey;
  private @Nullable String baseMetrics;
  private @Nullable String tunedMetrics;
  private @Nullable String fieldMetrics;
  private @Nullable String latency;
  private @Nullable String retention;
  private Instant createdAt;

  /** How the evaluation went; stored in lower case. */
  public enum Status {
    SUCCEEDED,
    FAILED
  }

  protected Evaluation() {}

  Evaluation(
      UUID jobId,
      String generationsKey,
      String decoding,
      int maxNewTokens,
      double seconds,
      long generatedTokens) {
    this.jobId = jobId;
    this.generationsKey = generationsKey;
    this.decoding = decoding;
    this.maxNewTokens = maxNewTokens;
    this.seconds = seconds;
    this.generatedTokens = generatedTokens;
    this.status = Status.FAILED;
    this.kind = "text";
    this.createdAt = Instant.now();
  }

  void succeed(String kind, int examples, String base, String tuned, String fields) {
    this.status = Status.SUCCEEDED;
    this.error = null;
    this.kind = kind;
    this.examples = examples;
    this.baseMetrics = base;
    this.tunedMetrics = tuned;
    this.fieldMetrics = fields;
  }

  /**
   * JSON of {@link LatencyFigures} and, when the job asked for a retention check, {@link
   * RetentionScores}.
   */
  void measured(@Nullable String latencyFigures, @Nullable String retentionScores) {
    this.latency = latencyFigures;
    this.retention = retentionScores;
  }

  void fail(String reason) {
    this.status = Status.FAILED;
    this.error = reason.length() > 2000 ? reason.substring(0, 1999) + "…" : reason;
  }

  public UUID getJobId() {
    return jobId;
  }

  public UUID getTenantId() {
    return tenantId;
  }

  public boolean succeeded() {
    return status == Status.SUCCEEDED;
  }

  public @Nullable String getError() {
    return error;
  }

  public String getKind() {
    return kind;
  }

  public int getExamples() {
    return examples;
  }

  public String getDecoding() {
    return decoding;
  }

  public int getMaxNewTokens() {
    return maxNewTokens;
  }

  public double getSeconds() {
    return seconds;
  }

  public long getGeneratedTokens() {
    return generatedTokens;
  }

  public String getGenerationsKey() {
    return generationsKey;
  }

  @Nullable String getBaseMetrics() {
    return baseMetrics;
  }

  @Nullable String getTunedMetrics() {
    return tunedMetrics;
  }

  @Nullable String getFieldMetrics() {
    return fieldMetrics;
  }

  @Nullable String getLatency() {
    return latency;
  }

  @Nullable String getRetention() {
    return retention;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }
}
