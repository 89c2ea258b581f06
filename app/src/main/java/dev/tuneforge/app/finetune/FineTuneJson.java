package dev.tuneforge.app.finetune;

import dev.tuneforge.app.usage.EstimateComparison;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A fine-tune as the native API shows it: what its page shows, its settings, where it came from and
 * what continued from it, and what it cost so far.
 */
record FineTuneJson(
    UUID id,
    String name,
    @Nullable String suffix,
    String status,
    @Nullable String holdReason,
    @Nullable String error,
    boolean pausedByUser,
    UUID baseModelId,
    String baseModel,
    UUID datasetVersionId,
    @Nullable UUID evaluationDatasetVersionId,
    int steps,
    long trainedTokens,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    TrainingSettings settings,
    JobLineage lineage,
    JobCost cost) {

  /** The training settings the job was launched with. */
  record TrainingSettings(
      String method,
      boolean fullFineTuning,
      int loraR,
      double loraAlpha,
      double loraDropout,
      List<String> targetModules,
      boolean useRslora,
      int epochs,
      double learningRate,
      String schedule,
      double warmupRatio,
      int batchSize,
      int gradientAccumulation,
      double weightDecay,
      int maxSequenceLength,
      boolean packing,
      long seed,
      int maxSteps,
      int checkpointEvery,
      int evaluationExamples,
      int evaluationMaxNewTokens,
      @Nullable Double dpoBeta) {
    static TrainingSettings of(FineTuneJob job) {
      return new TrainingSettings(
          job.getMethod(),
          job.isFullFineTuning(),
          job.getLoraR(),
          job.getLoraAlpha(),
          job.getLoraDropout(),
          job.getTargetModules(),
          job.isUseRslora(),
          job.getEpochs(),
          job.getLearningRate(),
          job.getSchedule(),
          job.getWarmupRatio(),
          job.getBatchSize(),
          job.getGradientAccumulation(),
          job.getWeightDecay(),
          job.getMaxSeqLength(),
          job.isPacking(),
          job.getSeed(),
          job.getMaxSteps(),
          job.getCheckpointEvery(),
          job.getEvaluationExamples(),
          job.getEvaluationMaxNewTokens(),
          job.isDpo() ? job.getDpoBeta() : null);
    }
  }

  /** The job it continued from (and at which step), and the jobs continued from it. */
  record JobLineage(
      @Nullable UUID continuedFromJobId,
      @Nullable Integer continuedFromStep,
      List<JobContinuation> continuedBy) {}

  /** A job that started from this one's checkpoint {@code fromStep}. */
  record JobContinuation(UUID id, String name, @Nullable Integer fromStep) {}

  /**
   * Node time metered so far (open stretches up to now), and once the job holds no node its
   * estimate next to the metered training and evaluation, as the job's page shows it.
   */
  record JobCost(
      String currency,
      BigDecimal metered,
      long meteredSeconds,
      @Nullable EstimateComparison estimate) {}

  /** One line of the list. */
  record FineTuneLine(
      UUID id,
      String name,
      String status,
      UUID baseModelId,
      UUID datasetVersionId,
      int steps,
      Instant createdAt,
      @Nullable Instant finishedAt) {
    static FineTuneLine of(FineTuneJob job) {
      return new FineTuneLine(
          job.getId(),
          job.getLabel(),
          job.getStatus().wire(),
          job.getBaseModelId(),
          job.getDatasetVersionId(),
          job.getSteps(),
          job.getCreatedAt(),
          job.getFinishedAt());
    }
  }
}
