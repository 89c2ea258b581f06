package dev.tuneforge.app.finetune;

import dev.tuneforge.app.usage.JobWork;
import dev.tuneforge.protocol.PreferenceSettings;
import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a user chooses on the new fine-tune form. {@code checkpointEvery} is the number of steps
 * between checkpoints (0: only at the end); a job that loses its node resumes from the last one.
 * After training, the base and the tuned model answer up to {@code evaluationExamples} prompts (0:
 * no evaluation) of {@code evaluationDatasetVersionId}, or of the training dataset's validation
 * split when that is null; each model generates at most {@code evaluationMaxNewTokens} tokens per
 * answer (1 to {@value #MAX_EVALUATION_NEW_TOKENS}). {@code useRslora} scales the adapter by alpha
 * / sqrt(r) instead of alpha / r; {@code packing} packs several examples into each row of {@code
 * maxSequenceLength} tokens (same loss, less padding computed). {@code method} is {@value #LORA}
 * (null: the same), {@value #QLORA} (LoRA over the base kept in 4-bit NF4) or {@value #FULL}, which
 * trains every weight, ignores the LoRA settings and delivers a whole model instead of an adapter.
 *
 * <p>The trainer's options, with the trainer's defaults ({@link TrainingOptions#DEFAULTS}): the
 * learning rate warms up linearly over {@code warmupRatio} of the steps, then decays by {@code
 * schedule} ({@value #LINEAR} or {@value #COSINE}); each optimiser step sums {@code
 * gradientAccumulation} micro-batches of {@code batchSize}; AdamW decays weights by {@code
 * weightDecay}; gradients are clipped to the global norm {@code maxGradNorm} (0: no clipping); the
 * validation loss is measured every {@code validationEvery} steps (0: only after the last; null: at
 * each checkpoint) and training stops after {@code earlyStoppingPatience} measurements in a row
 * that do not improve on the best (0: never early), the best by {@code earlyStoppingMetric}:
 * {@value #VALIDATION_LOSS} or {@value #FIELD_F1} (the field F1 of a fixed validation sample).
 * {@code retention} asks for a retention check after the evaluation: {@value #RETENTION_BUILTIN}
 * (the node's general-ability set) or {@value #RETENTION_DATASET} (the team's dataset version
 * {@code retentionDatasetVersionId}); null for none.
 *
 * <p>{@code continueFromJobId} starts the job from an earlier job of the tenant (succeeded,
 * cancelled or failed, same base model and kind of training) instead of from the base: from its
 * checkpoint after {@code continueFromStep}, or from its final weights when that is null; the step
 * counter and the loss curve go on from there. Null for a fresh start.
 */
public record FineTuneRequest(
    UUID baseModelId,
    UUID datasetVersionId,
    int loraR,
    double loraAlpha,
    double loraDropout,
    List<String> targetModules,
    int epochs,
    double learningRate,
    int batchSize,
    int maxSequenceLength,
    long seed,
    int maxSteps,
    int checkpointEvery,
    @Nullable UUID evaluationDatasetVersionId,
    int evaluationExamples,
    int evaluationMaxNewTokens,
    boolean useRslora,
    boolean packing,
    @Nullable String method,
    String schedule,
    double warmupRatio,
    int gradientAccumulation,
    double weightDecay,
    double maxGradNorm,
    @Nullable Integer validationEvery,
    int earlyStoppingPatience,
    double dpoBeta,
    double dpoSftWeight,
    String earlyStoppingMetric,
    @Nullable String retention,
    @Nullable UUID retentionDatasetVersionId,
    @Nullable UUID continueFromJobId,
    @Nullable Integer continueFromStep) {

  public static final String LORA = TrainingSpec.LORA;
  public static final String FULL = TrainingSpec.FULL;
  public static final String QLORA = TrainingSpec.QLORA;
  public static final String DPO = TrainingSpec.DPO;

  public static final int DEFAULT_EVALUATION_EXAMPLES =
      TrainingOptions.DEFAULTS.evaluationExamples();

  public static final int DEFAULT_EVALUATION_MAX_NEW_TOKENS =
      TrainingOptions.DEFAULTS.evaluationMaxNewTokens();

  /** The most tokens one evaluation answer may be given. */
  public static final int MAX_EVALUATION_NEW_TOKENS = 4096;

  public static final int DEFAULT_CHECKPOINT_EVERY = TrainingOptions.DEFAULTS.checkpointEvery();

  public static final String VALIDATION_LOSS = TrainingOptions.VALIDATION_LOSS;
  public static final String FIELD_F1 = TrainingOptions.FIELD_F1;
  public static final List<String> EARLY_STOPPING_METRICS = List.of(VALIDATION_LOSS, FIELD_F1);
  public static final String RETENTION_BUILTIN = TrainingOptions.RETENTION_BUILTIN;
  public static final String RETENTION_DATASET = TrainingOptions.RETENTION_DATASET;

  public static final String LINEAR = "linear";
  public static final String COSINE = "cosine";
  public static final List<String> SCHEDULES = List.of(LINEAR, COSINE);

  public static final List<String> PROJECTIONS =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  /** Sensible LoRA defaults for small models. */
  public static FineTuneRequest defaults(UUID baseModelId, UUID datasetVersionId) {
    return builder().setBaseModel(baseModelId).setDatasetVersion(datasetVersionId).build();
  }

  /** A request with the {@link #defaults}; set the base model and the dataset version. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this request's settings. */
  public Builder toBuilder() {
    return builder()
        .setBaseModel(baseModelId)
        .setDatasetVersion(datasetVersionId)
        .optLora(loraR, loraAlpha, loraDropout)
        .optTargetModules(targetModules)
        .optEpochs(epochs)
        .optLearningRate(learningRate)
        .optBatchSize(batchSize)
        .optMaxSequenceLength(maxSequenceLength)
        .optSeed(seed)
        .optMaxSteps(maxSteps)
        .optCheckpointEvery(checkpointEvery)
        .optEvaluation(evaluationDatasetVersionId, evaluationExamples)
        .optEvaluationMaxNewTokens(evaluationMaxNewTokens)
        .optRslora(useRslora)
        .optPacking(packing)
        .optMethod(method)
        .optSchedule(schedule)
        .optWarmupRatio(warmupRatio)
        .optGradientAccumulation(gradientAccumulation)
        .optWeightDecay(weightDecay)
        .optMaxGradNorm(maxGradNorm)
        .optValidationEvery(validationEvery)
        .optEarlyStoppingPatience(earlyStoppingPatience)
        .optPreference(dpoBeta, dpoSftWeight)
        .optEarlyStoppingMetric(earlyStoppingMetric)
        .optRetention(retention, retentionDatasetVersionId)
        .optContinueFrom(continueFromJobId, continueFromStep);
  }

  /** This request with another method, {@value #LORA}, {@value #QLORA} or {@value #FULL}. */
  public FineTuneRequest withMethod(String newMethod) {
    return toBuilder().optMethod(newMethod).build();
  }

  /** The training this request asks for, as estimates count it. */
  public JobWork work() {
    return new JobWork(
        datasetVersionId,
        baseModelId,
        method == null ? LORA : method,
        epochs,
        maxSteps,
        batchSize * gradientAccumulation,
        maxSequenceLength,
        evaluationDatasetVersionId,
        evaluationExamples,
        evaluationMaxNewTokens,
        0);
  }

  /** Whether every weight trains rather than a LoRA adapter. */
  public boolean fullFineTuning() {
    return FULL.equals(method);
  }

  /**
   * The first problem with these settings, or null; the LoRA settings of a full fine-tune are not
   * looked at.
   */
  String problem() {
    if (method != null && !TrainingSpec.METHODS.contains(method)) {
      return "The method must be LoRA (\""
          + LORA
          + "\"), QLoRA (\""
          + QLORA
          + "\"), full fine-tuning (\""
          + FULL
          + "\") or DPO (\""
          + DPO
          + "\"), not \""
          + method
          + "\"";
    }
    if (DPO.equals(method)) {
      if (!(dpoBeta > 0 && dpoBeta <= 10)) return "DPO's beta must be above 0 and at most 10";
      if (!(dpoSftWeight >= 0 && dpoSftWeight <= 10))
        return "DPO's SFT weight must be between 0 and 10";
      if (packing) return "DPO does not pack rows: turn packing off";
    }
    return fullFineTuning() ? trainingProblem() : loraProblem();
  }

  /** Whether the adapter trains with DPO on preference pairs. */
  public boolean preferencePairs() {
    return DPO.equals(method);
  }

  private @Nullable String loraProblem() {
    if (loraR < 1 || loraR > 256) return "LoRA r must be between 1 and 256";
    if (loraAlpha <= 0) return "LoRA alpha must be positive";
    if (loraDropout < 0 || loraDropout >= 1) return "LoRA dropout must be in [0, 1)";
    if (targetModules.isEmpty()) return "Choose at least one target module";
    if (!PROJECTIONS.containsAll(targetModules))
      return "Target modules must be among " + PROJECTIONS;
    return trainingProblem();
  }

  private @Nullable String trainingProblem() {
    if (epochs < 1 || epochs > 100) return "Epochs must be between 1 and 100";
    if (learningRate <= 0 || learningRate > 1) return "The learning rate must be in (0, 1]";
    if (batchSize < 1 || batchSize > 512) return "The batch size must be between 1 and 512";
    if (maxSequenceLength < 16 || maxSequenceLength > 32768)
      return "The max sequence length must be between 16 and 32768";
    if (maxSteps < 0) return "Max steps cannot be negative";
    if (checkpointEvery < 0) return "Checkpoint every N steps cannot be negative";
    if (evaluationExamples < 0 || evaluationExamples > 10_000)
      return "Evaluation examples must be between 0 and 10000";
    if (evaluationMaxNewTokens < 1 || evaluationMaxNewTokens > MAX_EVALUATION_NEW_TOKENS)
      return "Max new tokens per evaluation answer must be between 1 and "
          + MAX_EVALUATION_NEW_TOKENS
          + ", not "
          + evaluationMaxNewTokens;
    if (datasetVersionId.equals(evaluationDatasetVersionId)) {
      return "Evaluate on held-out data, not on the training dataset itself";
    }
    return optionsProblem();
  }

  private @Nullable String optionsProblem() {
    if (schedule == null || !SCHEDULES.contains(schedule))
      return "The learning-rate schedule must be one of "
          + SCHEDULES
          + ", not \""
          + schedule
          + "\"";
    if (!(warmupRatio >= 0 && warmupRatio <= 0.5))
      return "The warm-up ratio must be between 0 and 0.5";
    if (gradientAccumulation < 1 || gradientAccumulation > 64)
      return "Gradient accumulation must be between 1 and 64";
    if (!(weightDecay >= 0 && weightDecay <= 1)) return "Weight decay must be between 0 and 1";
    if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm))
      return "Gradient clipping (max gradient norm) must be positive, or 0 for none";
    if (validationEvery != null && validationEvery < 0)
      return "Validate every N steps cannot be negative";
    if (earlyStoppingPatience < 0)
      return "Early-stopping patience cannot be negative (0: never stop early)";
    if (!EARLY_STOPPING_METRICS.contains(earlyStoppingMetric))
      return "Early stopping watches one of "
          + EARLY_STOPPING_METRICS
          + ", not \""
          + earlyStoppingMetric
          + "\"";
    if (retention != null
        && !retention.equals(RETENTION_BUILTIN)
        && !retention.equals(RETENTION_DATASET))
      return "The retention check uses the built-in set or one of your datasets, not \""
          + retention
          + "\"";
    if (RETENTION_DATASET.equals(retention) != (retentionDatasetVersionId != null))
      return "Choose the dataset of the retention check, or the built-in set";
    return null;
  }

  /** Builds a request: {@code setX} for what it needs, {@code optX} to change a default. */
  public static final class Builder {
    private @Nullable UUID baseModelId;
    private @Nullable UUID datasetVersionId;
    private int loraR = 8;
    private double loraAlpha = 16;
    private double loraDropout = 0.05;
    private List<String> targetModules = List.of("q_proj", "v_proj");
    private int epochs = 1;
    private double learningRate = 2e-4;
    private int batchSize = 4;
    private int maxSequenceLength = 512;
    private long seed = 42;
    private int maxSteps;
    private int checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
    private @Nullable UUID evaluationDatasetVersionId;
    private int evaluationExamples = DEFAULT_EVALUATION_EXAMPLES;
    private int evaluationMaxNewTokens = DEFAULT_EVALUATION_MAX_NEW_TOKENS;
    private boolean useRslora;
    private boolean packing;
    private @Nullable String method;
    private double dpoBeta = PreferenceSettings.DEFAULTS.beta();
    private double dpoSftWeight = PreferenceSettings.DEFAULTS.sftWeight();
    private String schedule = TrainingOptions.DEFAULTS.schedule();
    private double warmupRatio = TrainingOptions.DEFAULTS.warmupRatio();
    private int gradientAccumulation = TrainingOptions.DEFAULTS.gradientAccumulation();
    private double weightDecay = TrainingOptions.DEFAULTS.weightDecay();
    private double maxGradNorm = TrainingOptions.DEFAULTS.maxGradNorm();
    private @Nullable Integer validationEvery;
    private int earlyStoppingPatience = TrainingOptions.DEFAULTS.earlyStoppingPatience();
    private String earlyStoppingMetric = VALIDATION_LOSS;
    private @Nullable String retention;
    private @Nullable UUID retentionDatasetVersionId;
    private @Nullable UUID continueFromJobId;
    private @Nullable Integer continueFromStep;

    private Builder() {}

    public Builder setBaseModel(UUID id) {
      baseModelId = id;
      return this;
    }

    public Builder setDatasetVersion(UUID id) {
      datasetVersionId = id;
      return this;
    }

    /** The adapter's rank, its alpha and the dropout before it; a full fine-tune ignores them. */
    public Builder optLora(int r, double alpha, double dropout) {
      loraR = r;
      loraAlpha = alpha;
      loraDropout = dropout;
      return this;
    }

    /** Among {@link #PROJECTIONS}. */
    public Builder optTargetModules(List<String> modules) {
      targetModules = modules;
      return this;
    }

    public Builder optEpochs(int value) {
      epochs = value;
      return this;
    }

    public Builder optLearningRate(double value) {
      learningRate = value;
      return this;
    }

    public Builder optBatchSize(int value) {
      batchSize = value;
      return this;
    }

    public Builder optMaxSequenceLength(int tokens) {
      maxSequenceLength = tokens;
      return this;
    }

    public Builder optSeed(long value) {
      seed = value;
      return this;
    }

    /** 0: as many as the epochs take. */
    public Builder optMaxSteps(int steps) {
      maxSteps = steps;
      return this;
    }

    /** 0: only at the end. */
    public Builder optCheckpointEvery(int steps) {
      checkpointEvery = steps;
      return this;
    }

    /**
     * Up to {@code examples} prompts (0: none) of a held-out dataset version, or (null) of the
     * validation split.
     */
    public Builder optEvaluation(@Nullable UUID datasetVersionId, int examples) {
      evaluationDatasetVersionId = datasetVersionId;
      evaluationExamples = examples;
      return this;
    }

    /**
     * The most tokens each model generates per held-out example (1 to {@value
     * #MAX_EVALUATION_NEW_TOKENS}); fewer is faster and cheaper but may cut long answers.
     */
    public Builder optEvaluationMaxNewTokens(int tokens) {
      evaluationMaxNewTokens = tokens;
      return this;
    }

    public Builder optRslora(boolean value) {
      useRslora = value;
      return this;
    }

    public Builder optPacking(boolean value) {
      packing = value;
      return this;
    }

    /**
     * {@value FineTuneRequest#LORA} (null: the same), {@value FineTuneRequest#QLORA} or {@value
     * FineTuneRequest#FULL}.
     */
    public Builder optMethod(@Nullable String value) {
      method = value;
      return this;
    }

    /** How the learning rate decays after warm-up: {@value #LINEAR} or {@value #COSINE}. */
    public Builder optSchedule(String value) {
      schedule = value;
      return this;
    }

    /** The share of the steps (0 to 0.5) over which the learning rate warms up linearly. */
    public Builder optWarmupRatio(double ratio) {
      warmupRatio = ratio;
      return this;
    }

    /** Micro-batches of the batch size per optimiser step (1 to 64). */
    public Builder optGradientAccumulation(int microBatches) {
      gradientAccumulation = microBatches;
      return this;
    }

    /** AdamW's decoupled weight decay (0 to 1). */
    public Builder optWeightDecay(double value) {
      weightDecay = value;
      return this;
    }

    /** The global norm gradients are clipped to; 0: no clipping. */
    public Builder optMaxGradNorm(double norm) {
      maxGradNorm = norm;
      return this;
    }

    /** Steps between validation losses; 0: only after the last step; null: at each checkpoint. */
    public Builder optValidationEvery(@Nullable Integer steps) {
      validationEvery = steps;
      return this;
    }

    /** Validation losses in a row without improvement before training stops; 0: never early. */
    public Builder optEarlyStoppingPatience(int validations) {
      earlyStoppingPatience = validations;
      return this;
    }

    /** {@value #VALIDATION_LOSS} (the default) or {@value #FIELD_F1}. */
    public Builder optEarlyStoppingMetric(String metric) {
      earlyStoppingMetric = metric;
      return this;
    }

    /**
     * A retention check: {@value #RETENTION_BUILTIN}, or {@value #RETENTION_DATASET} with the
     * team's dataset version; null and null for none.
     */
    public Builder optRetention(@Nullable String set, @Nullable UUID datasetVersionId) {
      retention = set;
      retentionDatasetVersionId = datasetVersionId;
      return this;
    }

    /** The request; {@link FineTuneService#create} says what is wrong with it, if anything. */
    public FineTuneRequest build() {
      return new FineTuneRequest(
          baseModelId,
          datasetVersionId,
          loraR,
          loraAlpha,
          loraDropout,
          targetModules,
          epochs,
          learningRate,
          batchSize,
          maxSequenceLength,
          seed,
          maxSteps,
          checkpointEvery,
          evaluationDatasetVersionId,
          evaluationExamples,
          evaluationMaxNewTokens,
          useRslora,
          packing,
          method,
          schedule,
          warmupRatio,
          gradientAccumulation,
          weightDecay,
          maxGradNorm,
          validationEvery,
          earlyStoppingPatience,
          dpoBeta,
          dpoSftWeight,
          earlyStoppingMetric,
          retention,
          retentionDatasetVersionId,
          continueFromJobId,
          continueFromStep);
    }

    /**
     * Starts from an earlier job's checkpoint after {@code step}, or (null) from its final weights;
     * {@code jobId} null: from the base model.
     */
    public Builder optContinueFrom(@Nullable UUID jobId, @Nullable Integer step) {
      continueFromJobId = jobId;
      continueFromStep = jobId == null ? null : step;
      return this;
    }

    /** DPO's beta (above 0, default 0.1) and the weight of its SFT term (default 0: none). */
    public Builder optPreference(double beta, double sftWeight) {
      dpoBeta = beta;
      dpoSftWeight = sftWeight;
      return this;
    }
  }
}
