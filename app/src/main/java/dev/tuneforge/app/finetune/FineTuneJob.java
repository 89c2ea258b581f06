package dev.tuneforge.app.finetune;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * A fine-tune of one base model on one dataset version. While a node holds it, {@code nodeId}
 * and {@code leaseExpiresAt} form its lease; heartbeats renew the lease.
 */
@Entity
@Table(name = "fine_tune_job")
public class FineTuneJob {
  @Id private UUID id;
  @TenantId private UUID tenantId;
  private String name;
  private UUID createdBy;
  private UUID baseModelId;
  private UUID datasetVersionId;
  private JobStatus status;
  private String method;
  @jakarta.persistence.Column(name = "lora_r") private int loraR; // snake-case naming would make it "lorar"
  private double loraAlpha;
  private double loraDropout;
  private String targetModules;
  private int epochs;
  private double learningRate;
  private int batchSize;
  private int maxSeqLength;
  private long seed;
  private int maxSteps;
  private int checkpointEvery;
  private @Nullable UUID evaluationDatasetVersionId;
  private int evaluationExamples;
  private boolean useRslora;
  private boolean packing;
  private @Nullable Integer lastCheckpointStep;
  private @Nullable UUID nodeId;
  private @Nullable Instant leaseExpiresAt;
  private boolean cancelRequested;
  private @Nullable String error;
  private int steps;
  private long trainedTokens;
  private @Nullable String adapterPrefix;
  private Instant createdAt;
  private @Nullable Instant startedAt;
  private @Nullable Instant finishedAt;
  private @Nullable String holdReason;

  protected FineTuneJob() {}

  FineTuneJob(String name, UUID createdBy, FineTuneRequest request) {
    this.id = UUID.randomUUID();
    this.name = name;
    this.createdBy = createdBy;
    this.baseModelId = request.baseModelId();
    this.datasetVersionId = request.datasetVersionId();
    this.status = JobStatus.VALIDATING_FILES;
    this.method = request.fullFineTuning() ? FineTuneRequest.FULL : FineTuneRequest.LORA;
    this.loraR = request.loraR();
    this.loraAlpha = request.loraAlpha();
    this.loraDropout = request.loraDropout();
    this.targetModules = String.join(",", request.targetModules());
    this.epochs = request.epochs();
    this.learningRate = request.learningRate();
    this.batchSize = request.batchSize();
    this.maxSeqLength = request.maxSequenceLength();
    this.seed = request.seed();
    this.maxSteps = request.maxSteps();
    this.checkpointEvery = request.checkpointEvery();
    this.evaluationDatasetVersionId = request.evaluationDatasetVersionId();
    this.evaluationExamples = request.evaluationExamples();
    this.useRslora = request.useRslora();
    this.packing = request.packing();
    this.createdAt = Instant.now();
  }

  void queue() {
    status = JobStatus.QUEUED;
  }

  void assign(UUID node, Instant leaseUntil) {
    holdReason = null;
    nodeId = node;
    leaseExpiresAt = leaseUntil;
  }

  void start(Instant leaseUntil) {
    status = JobStatus.RUNNING;
    leaseExpiresAt = leaseUntil;
    if (startedAt == null) {
      startedAt = Instant.now();
    }
  }

  void renewLease(Instant leaseUntil) {
    leaseExpiresAt = leaseUntil;
  }

  void requeue() {
    status = JobStatus.QUEUED;
    nodeId = null;
    leaseExpiresAt = null;
  }

  void progress(int step, long tokens) {
    steps = Math.max(steps, step);
    trainedTokens = Math.max(trainedTokens, tokens);
  }

  /** A checkpoint whose files all reached storage; an older one never replaces a newer one. */
  void checkpointed(int step) {
    if (lastCheckpointStep == null || step > lastCheckpointStep) {
      lastCheckpointStep = step;
    }
  }

  void succeed(String adapter, int finalSteps, long tokens) {
    finish(JobStatus.SUCCEEDED, null);
    adapterPrefix = adapter;
    steps = finalSteps;
    trainedTokens = tokens;
  }

  void finish(JobStatus outcome, @Nullable String reason) {
    status = outcome;
    error = reason;
    holdReason = null;
    nodeId = null;
    leaseExpiresAt = null;
    finishedAt = Instant.now();
  }

  /** Stopped at its last checkpoint; keeps that checkpoint so that it resumes from there. */
  void pause(String reason, int atStep, long tokens) {
    status = JobStatus.PAUSED;
    holdReason = reason;
    nodeId = null;
    leaseExpiresAt = null;
    steps = Math.max(steps, atStep);
    trainedTokens = Math.max(trainedTokens, tokens);
  }

  /** A paused job back in the queue, to resume from its last checkpoint. */
  void unpause() {
    status = JobStatus.QUEUED;
    holdReason = null;
  }

  void hold(@Nullable String reason) {
    holdReason = reason;
  }

  void requestCancel() {
    cancelRequested = true;
  }

  public UUID getId() {
    return id;
  }

  public UUID getTenantId() {
    return tenantId;
  }

  public String getName() {
    return name;
  }

  public UUID getCreatedBy() {
    return createdBy;
  }

  public UUID getBaseModelId() {
    return baseModelId;
  }

  public UUID getDatasetVersionId() {
    return datasetVersionId;
  }

  public JobStatus getStatus() {
    return status;
  }

  /** {@code lora} or {@code full}. */
  public String getMethod() {
    return method;
  }

  /** Whether every weight trains, delivering a whole model rather than an adapter. */
  public boolean isFullFineTuning() {
    return FineTuneRequest.FULL.equals(method);
  }

  public int getLoraR() {
    return loraR;
  }

  public double getLoraAlpha() {
    return loraAlpha;
  }

  public double getLoraDropout() {
    return loraDropout;
  }

  public List<String> getTargetModules() {
    return Arrays.asList(targetModules.split(","));
  }

  public int getEpochs() {
    return epochs;
  }

  public double getLearningRate() {
    return learningRate;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public int getMaxSeqLength() {
    return maxSeqLength;
  }

  public long getSeed() {
    return seed;
  }

  public int getMaxSteps() {
    return maxSteps;
  }

  public int getCheckpointEvery() {
    return checkpointEvery;
  }

  /** A held-out dataset version to evaluate on; null: the training dataset's validation split. */
  public @Nullable UUID getEvaluationDatasetVersionId() {
    return evaluationDatasetVersionId;
  }

  /** How many examples the base and tuned models answer after training; 0: no evaluation. */
  public int getEvaluationExamples() {
    return evaluationExamples;
  }

  /** Whether the adapter is scaled by alpha / sqrt(r) (rsLoRA) rather than alpha / r. */
  public boolean isUseRslora() {
    return useRslora;
  }

  /** Whether training packs several examples into each row of the max sequence length. */
  public boolean isPacking() {
    return packing;
  }

  /** The step of the last checkpoint in storage, or null while there is none. */
  public @Nullable Integer getLastCheckpointStep() {
    return lastCheckpointStep;
  }

  public @Nullable UUID getNodeId() {
    return nodeId;
  }

  public @Nullable Instant getLeaseExpiresAt() {
    return leaseExpiresAt;
  }

  public boolean isCancelRequested() {
    return cancelRequested;
  }

  public @Nullable String getError() {
    return error;
  }

  public int getSteps() {
    return steps;
  }

  public long getTrainedTokens() {
    return trainedTokens;
  }

  public @Nullable String getAdapterPrefix() {
    return adapterPrefix;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public @Nullable Instant getStartedAt() {
    return startedAt;
  }

  public @Nullable Instant getFinishedAt() {
    return finishedAt;
  }

  /**
   * Why the job waits (queued or paused) or is being stopped (running), for instance the
   * tenant's monthly budget; null when nothing holds it.
   */
  public @Nullable String getHoldReason() {
    return holdReason;
  }
}
