package dev.tuneforge.app.finetune;

import dev.tuneforge.app.usage.JobWork;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.AbstractAggregateRoot;

/**
 * A fine-tune of one base model on one dataset version, and the one place that says which change of
 * its state is legal when. While a node holds it, {@code nodeId}, {@code leaseId} and {@code
 * leaseExpiresAt} form its lease; heartbeats renew the lease. Each transition checks the current
 * state and answers with a {@link Transition}: the line for the job's event log, or why it was
 * refused. The module events a transition registers are published when the repository saves the
 * job, inside the transaction of the change.
 */
@Entity
@Table(name = "fine_tune_job")
public class FineTuneJob extends AbstractAggregateRoot<FineTuneJob> {
  private static final String CANCELLED_BY_USER = "Cancelled by user";
  private static final String PAUSED_BY_USER = "paused by user";

  @Id private UUID id;
  @TenantId private UUID tenantId;
  private String name;
  private UUID createdBy;
  private UUID baseModelId;
  private UUID datasetVersionId;
  private JobStatus status;
  private String method;

  @jakarta.persistence.Column(name = "lora_r")
  private int loraR; // snake-case naming would make it "lorar"

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
  private int evaluationMaxNewTokens = FineTuneRequest.DEFAULT_EVALUATION_MAX_NEW_TOKENS;
  private boolean useRslora;
  private boolean packing;
  private String schedule;
  private double warmupRatio;
  private int gradientAccumulation;
  private double weightDecay;
  private double maxGradNorm;
  private @Nullable Integer validationEvery;
  private int earlyStoppingPatience;
  private double dpoBeta = 0.1;
  private double dpoSftWeight;
  private String earlyStoppingMetric = FineTuneRequest.VALIDATION_LOSS;
  private @Nullable String retention;
  private @Nullable UUID retentionDatasetVersionId;
  private @Nullable Integer lastCheckpointStep;
  private @Nullable UUID nodeId;
  private @Nullable Instant leaseExpiresAt;
  private @Nullable UUID leaseId;
  private boolean cancelRequested;
  private @Nullable String error;
  private int steps;
  private long trainedTokens;
  private @Nullable String adapterPrefix;
  private Instant createdAt;
  private @Nullable Instant startedAt;
  private @Nullable Instant finishedAt;
  private @Nullable String holdReason;
  private @Nullable String suffix;
  private boolean pausedByUser;
  private @Nullable UUID continuedFromJobId;
  private @Nullable Integer continuedFromStep;

  protected FineTuneJob() {}

  FineTuneJob(String name, UUID createdBy, FineTuneRequest request, Instant now) {
    this.id = UUID.randomUUID();
    this.name = name;
    this.createdBy = createdBy;
    this.baseModelId = request.baseModelId();
    this.datasetVersionId = request.datasetVersionId();
    this.status = JobStatus.VALIDATING_FILES;
    this.method = request.method() == null ? FineTuneRequest.LORA : request.method();
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
    this.evaluationMaxNewTokens = request.evaluationMaxNewTokens();
    this.useRslora = request.useRslora();
    this.packing = request.packing();
    this.schedule = request.schedule();
    this.warmupRatio = request.warmupRatio();
    this.gradientAccumulation = request.gradientAccumulation();
    this.weightDecay = request.weightDecay();
    this.maxGradNorm = request.maxGradNorm();
    this.validationEvery = request.validationEvery();
    this.earlyStoppingPatience = request.earlyStoppingPatience();
    this.dpoBeta = request.dpoBeta();
    this.dpoSftWeight = request.dpoSftWeight();
    this.earlyStoppingMetric = request.earlyStoppingMetric();
    this.retention = request.retention();
    this.retentionDatasetVersionId = request.retentionDatasetVersionId();
    this.createdAt = now;
  }

  /** Starts from the source job's checkpoint after {@code step} rather than from the base. */
  void continueFrom(UUID sourceJobId, int step) {
    continuedFromJobId = sourceJobId;
    continuedFromStep = step;
  }

  /** Its files are in storage: it waits for a node. */
  Transition queue() {
    if (status != JobStatus.VALIDATING_FILES) {
      return refused("queue");
    }
    status = JobStatus.QUEUED;
    progressed();
    registerEvent(new FineTuneQueued(id));
    return Transition.logged("Files validated; queued for a training node");
  }

  /** Its dataset or base model files are missing: it fails before it ever waits for a node. */
  Transition rejectFiles(String reason, Instant now) {
    if (status != JobStatus.VALIDATING_FILES) {
      return refused("reject the files of");
    }
    end(JobStatus.FAILED, reason, now);
    progressed();
    return Transition.logged(reason);
  }

  /**
   * Keeps a waiting job (queued or paused, on no node) from dispatch, for instance for its tenant's
   * budget. The log gets a line when the job starts to wait; a new wording (the spend in it moves
   * while other jobs run) replaces the shown reason quietly.
   */
  Transition hold(String reason) {
    if (!waiting()) {
      return refused("hold");
    }
    if (reason.equals(holdReason)) {
      return Transition.refused("it already waits: " + reason);
    }
    boolean starts = holdReason == null;
    holdReason = reason;
    progressed();
    return starts ? Transition.logged("Not dispatched: " + reason) : Transition.quiet();
  }

  /**
   * Gives the queued job to a node until {@code leaseUntil}; it starts when the node asks for work.
   */
  Transition assign(UUID node, String nodeName, Instant leaseUntil) {
    if (status != JobStatus.QUEUED || nodeId != null) {
      return refused("assign");
    }
    holdReason = null;
    nodeId = node;
    leaseExpiresAt = leaseUntil;
    leaseId = UUID.randomUUID();
    progressed();
    return Transition.logged("Assigned to node " + nodeName);
  }

  Transition start(UUID node, Instant leaseUntil, Instant now) {
    if (status != JobStatus.QUEUED || !node.equals(nodeId)) {
      return refused(node, "start");
    }
    status = JobStatus.RUNNING;
    leaseExpiresAt = leaseUntil;
    if (startedAt == null) {
      startedAt = now;
    }
    progressed();
    return Transition.logged("Running on its node");
  }

  /** A heartbeat of the node running the job; nothing to log or show. */
  Transition renewLease(UUID node, Instant leaseUntil) {
    if (!runningOn(node)) {
      return refused(node, "renew the lease of");
    }
    leaseExpiresAt = leaseUntil;
    return Transition.quiet();
  }

  /** Metrics from the node that holds the job; the stored events are their own log. */
  Transition progress(UUID node, int step, long tokens) {
    if (!node.equals(nodeId)) {
      return refused(node, "report progress of");
    }
    steps = Math.max(steps, step);
    trainedTokens = Math.max(trainedTokens, tokens);
    progressed();
    return Transition.quiet();
  }

  /** A checkpoint whose files all reached storage; an older one never replaces a newer one. */
  Transition checkpoint(UUID node, int step) {
    if (!runningOn(node)) {
      return refused(node, "checkpoint");
    }
    if (lastCheckpointStep == null || step > lastCheckpointStep) {
      lastCheckpointStep = step;
    }
    progressed();
    return Transition.logged(JobCheckpoint.savedLine(step));
  }

  /**
   * Asks the running job to stop at a checkpoint; its node reports it stopped, and it pauses. A
   * stop already asked for stands with its reason: nothing changes.
   */
  Transition requestStop(UUID node, String reason) {
    if (!runningOn(node)) {
      return refused(node, "stop");
    }
    if (holdReason != null) {
      return Transition.quiet();
    }
    holdReason = reason;
    progressed();
    return Transition.logged("Stopping at a checkpoint: " + reason);
  }

  /**
   * The node stopped the job at its last checkpoint, as asked: paused, it keeps that checkpoint and
   * resumes from there. The reason is the node's, else the one it was asked to stop for.
   */
  Transition pause(UUID node, @Nullable String reason, int atStep, long tokens, Instant now) {
    if (!node.equals(nodeId)) {
      return refused(node, "pause");
    }
    if (cancelRequested) {
      return cancelled(node, atStep, tokens, now);
    }
    String why =
        reason != null ? reason : holdReason != null ? holdReason : "stopped by the platform";
    leaseEnded(node, tokens, now);
    status = JobStatus.PAUSED;
    holdReason = why;
    nodeId = null;
    leaseExpiresAt = null;
    steps = Math.max(steps, atStep);
    trainedTokens = Math.max(trainedTokens, tokens);
    return Transition.logged(
        "Paused after "
            + atStep
            + " steps"
            + (lastCheckpointStep == null
                ? " with no checkpoint"
                : " at checkpoint step-" + lastCheckpointStep)
            + ": "
            + why);
  }

  /** The node delivered the adapter (or the whole model) under {@code delivered}. */
  Transition succeed(UUID node, String delivered, int finalSteps, long tokens, Instant now) {
    if (!node.equals(nodeId)) {
      return refused(node, "succeed");
    }
    if (cancelRequested) {
      return cancelled(node, finalSteps, tokens, now);
    }
    leaseEnded(node, tokens, now);
    end(JobStatus.SUCCEEDED, null, now);
    adapterPrefix = delivered;
    steps = finalSteps;
    trainedTokens = tokens;
    finished();
    return Transition.logged(
        "Succeeded after " + finalSteps + " steps and " + tokens + " trained tokens");
  }

  Transition fail(UUID node, @Nullable String reason, int atStep, long tokens, Instant now) {
    if (!node.equals(nodeId)) {
      return refused(node, "fail");
    }
    if (cancelRequested) {
      return cancelled(node, atStep, tokens, now);
    }
    String why = reason == null ? "the node reported a failure without a reason" : reason;
    leaseEnded(node, tokens, now);
    end(JobStatus.FAILED, why, now);
    finished();
    return Transition.logged("Failed: " + why);
  }

  /**
   * The user's cancel. A job on no node yet (or only assigned to one) and a paused one end at once;
   * a running one is asked to stop at its node's next heartbeat and is cancelled when the node
   * reports, whatever it reports. A finished job stays as it ended.
   */
  Transition cancel(Instant now) {
    if (status.finished()) {
      return refused("cancel");
    }
    if (status == JobStatus.RUNNING) {
      cancelRequested = true;
      progressed();
      return Transition.logged("Cancellation requested");
    }
    boolean paused = status == JobStatus.PAUSED;
    end(JobStatus.CANCELLED, CANCELLED_BY_USER, now);
    progressed();
    finished();
    return Transition.logged(
        paused
            ? "Cancelled while paused; its checkpoints are kept"
            : "Cancelled before it started");
  }

  /**
   * The user's pause: a job waiting for a node stops waiting at once; a running one is asked to
   * stop at a checkpoint at its node's next heartbeat and pauses when the node reports. Only the
   * user's resume puts it back in the queue (dispatch resumes only jobs its budget paused).
   */
  Transition pauseByUser() {
    if (status == JobStatus.RUNNING) {
      if (pausedByUser) {
        return Transition.quiet();
      }
      pausedByUser = true;
      holdReason = PAUSED_BY_USER;
      progressed();
      return Transition.logged("Stopping at a checkpoint: " + PAUSED_BY_USER);
    }
    if (status != JobStatus.QUEUED && status != JobStatus.PAUSED) {
      return refused("pause");
    }
    boolean wasPaused = status == JobStatus.PAUSED;
    pausedByUser = true;
    status = JobStatus.PAUSED;
    holdReason = PAUSED_BY_USER;
    nodeId = null;
    leaseExpiresAt = null;
    progressed();
    return wasPaused ? Transition.quiet() : Transition.logged("Paused by user before it started");
  }

  /**
   * The user's resume: a paused job goes back in the queue; a running one that was asked to pause
   * is no longer asked.
   */
  Transition resumeByUser() {
    if (status == JobStatus.RUNNING && pausedByUser) {
      pausedByUser = false;
      holdReason = null;
      progressed();
      return Transition.logged("Pause withdrawn by user");
    }
    if (status != JobStatus.PAUSED) {
      return refused("resume");
    }
    pausedByUser = false;
    return resume("Resumed by user");
  }

  /**
   * A paused job back in the queue, to resume from its last checkpoint; {@code why} starts the log
   * line.
   */
  Transition resume(String why) {
    if (status != JobStatus.PAUSED) {
      return refused("resume");
    }
    status = JobStatus.QUEUED;
    holdReason = null;
    progressed();
    return Transition.logged(
        why
            + "; back in the queue"
            + (lastCheckpointStep == null
                ? ""
                : " to resume from checkpoint step-" + lastCheckpointStep));
  }

  /**
   * Its node started again and so no longer runs the job: back in the queue at once, from its last
   * checkpoint, as when the lease runs out.
   */
  Transition nodeRestarted(UUID node, Instant now) {
    if (!runningOn(node)) {
      return refused("requeue after its node's restart");
    }
    leaseEnded(node, trainedTokens, now);
    status = JobStatus.QUEUED;
    nodeId = null;
    leaseExpiresAt = null;
    return Transition.logged("Its node started again; back in the queue");
  }

  /**
   * Its node stopped renewing the lease: once the lease ran out, the job goes back in the queue.
   */
  Transition expireLease(Instant now) {
    if (nodeId == null || leaseExpiresAt == null) {
      return refused("expire the lease of");
    }
    if (!leaseExpiresAt.isBefore(now)) {
      return Transition.refused("its lease on node " + nodeId + " runs until " + leaseExpiresAt);
    }
    leaseEnded(nodeId, trainedTokens, now);
    status = JobStatus.QUEUED;
    nodeId = null;
    leaseExpiresAt = null;
    return Transition.logged("Its node stopped answering; back in the queue");
  }

  /** The events registered since the last save, which publishes them (in this order). */
  List<Object> pendingEvents() {
    return List.copyOf(domainEvents());
  }

  private boolean waiting() {
    return nodeId == null && (status == JobStatus.QUEUED || status == JobStatus.PAUSED);
  }

  private boolean runningOn(UUID node) {
    return status == JobStatus.RUNNING && node.equals(nodeId);
  }

  private Transition cancelled(UUID node, int atStep, long tokens, Instant now) {
    leaseEnded(node, tokens, now);
    end(JobStatus.CANCELLED, CANCELLED_BY_USER, now);
    finished();
    return Transition.logged("Cancelled after " + atStep + " steps");
  }

  private void end(JobStatus outcome, @Nullable String reason, Instant now) {
    status = outcome;
    error = reason;
    holdReason = null;
    nodeId = null;
    leaseExpiresAt = null;
    finishedAt = now;
  }

  private void progressed() {
    registerEvent(new FineTuneProgressed(tenantId, id));
  }

  /** Metering learns the job's total trained tokens when the node's stretch ends. */
  private void leaseEnded(UUID node, long reportedTokens, Instant now) {
    progressed();
    registerEvent(new JobLeaseEnded(id, node, Math.max(trainedTokens, reportedTokens), now));
  }

  private void finished() {
    registerEvent(new FineTuneFinished(tenantId, id, status));
  }

  private Transition refused(String action) {
    return Transition.refused("cannot " + action + " a job that is " + inWords());
  }

  private Transition refused(UUID node, String action) {
    return Transition.refused("node " + node + " cannot " + action + " a job that is " + inWords());
  }

  private String inWords() {
    String state = status.wire().replace('_', ' ');
    return nodeId == null ? state : state + " on node " + nodeId;
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

  /** {@code lora}, {@code qlora} or {@code full}. */
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

  /** The most tokens each model generates per evaluation answer (and per training sample). */
  public int getEvaluationMaxNewTokens() {
    return evaluationMaxNewTokens;
  }

  /** Whether the adapter is scaled by alpha / sqrt(r) (rsLoRA) rather than alpha / r. */
  public boolean isUseRslora() {
    return useRslora;
  }

  /** Whether training packs several examples into each row of the max sequence length. */
  public boolean isPacking() {
    return packing;
  }

  /** How the learning rate decays after warm-up: {@code linear} or {@code cosine}. */
  public String getSchedule() {
    return schedule;
  }

  /** The share of the steps over which the learning rate warms up. */
  public double getWarmupRatio() {
    return warmupRatio;
  }

  /** Micro-batches of the batch size per optimiser step. */
  public int getGradientAccumulation() {
    return gradientAccumulation;
  }

  public double getWeightDecay() {
    return weightDecay;
  }

  /** The global norm gradients are clipped to; 0: no clipping. */
  public double getMaxGradNorm() {
    return maxGradNorm;
  }

  /**
   * Steps between validation losses (0: only after the last step); jobs that chose none measure at
   * each checkpoint.
   */
  public int getValidationEvery() {
    return validationEvery != null ? validationEvery : checkpointEvery;
  }

  /** Validation losses in a row without improvement before training stops; 0: never early. */
  public String getEarlyStoppingMetric() {
    return earlyStoppingMetric;
  }

  /**
   * {@value FineTuneRequest#RETENTION_BUILTIN}, {@value FineTuneRequest#RETENTION_DATASET} or null.
   */
  public @Nullable String getRetention() {
    return retention;
  }

  public @Nullable UUID getRetentionDatasetVersionId() {
    return retentionDatasetVersionId;
  }

  public int getEarlyStoppingPatience() {
    return earlyStoppingPatience;
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

  /**
   * The holding its node has, or the last one it had: new at each assignment; its outputs go to
   * {@code ObjectKeys.jobOutputs}. Null for a job never assigned, or assigned before holdings had
   * ids.
   */
  public @Nullable UUID getLeaseId() {
    return leaseId;
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
   * Why the job waits (queued or paused) or is being stopped (running), for instance the tenant's
   * monthly budget; null when nothing holds it.
   */
  public @Nullable String getHoldReason() {
    return holdReason;
  }

  /** The job's own name (OpenAI's {@code suffix}); null when none was given. */
  public @Nullable String getSuffix() {
    return suffix;
  }

  /**
   * Whether the user paused the job (or asked its node to stop it at a checkpoint for that); such a
   * job waits for the user's resume.
   */
  public boolean isPausedByUser() {
    return pausedByUser;
  }

  /** Its own name when it has one, else the name made of its base model and dataset. */
  public String getLabel() {
    return suffix == null ? name : suffix + " (" + name + ")";
  }

  void rename(@Nullable String newSuffix) {
    suffix = newSuffix;
  }

  /** The training this job asks for, as estimates count it, with what it has trained so far. */
  public JobWork work() {
    return new JobWork(
        datasetVersionId,
        baseModelId,
        method,
        epochs,
        maxSteps,
        batchSize * gradientAccumulation,
        maxSeqLength,
        evaluationDatasetVersionId,
        evaluationExamples,
        evaluationMaxNewTokens,
        trainedTokens);
  }

  /** Whether the adapter trains with DPO on preference pairs. */
  public boolean isDpo() {
    return FineTuneRequest.DPO.equals(method);
  }

  /** DPO's beta (only DPO jobs use it). */
  public double getDpoBeta() {
    return dpoBeta;
  }

  /** The weight of DPO's SFT term (only DPO jobs use it). */
  public double getDpoSftWeight() {
    return dpoSftWeight;
  }

  /** The job this one continues from, or null when it started from the base model. */
  public @Nullable UUID getContinuedFromJobId() {
    return continuedFromJobId;
  }

  /** The source job's checkpoint step this one starts at, or null when it started from the base. */
  public @Nullable Integer getContinuedFromStep() {
    return continuedFromStep;
  }
}
