package dev.tuneforge.app.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's fine-tuning job object for a fine-tune; {@code tuneforge} carries what OpenAI's shape
 * has no place for (the training method and its settings, steps, why it waits).
 */
record JobObject(
    String id,
    String object,
    @JsonProperty("created_at") long createdAt,
    @Nullable JobError error,
    @JsonProperty("fine_tuned_model") @Nullable String fineTunedModel,
    @JsonProperty("finished_at") @Nullable Long finishedAt,
    Hyperparameters hyperparameters,
    String model,
    @JsonProperty("organization_id") String organizationId,
    @JsonProperty("result_files") List<String> resultFiles,
    long seed,
    String status,
    @JsonProperty("trained_tokens") @Nullable Long trainedTokens,
    @JsonProperty("training_file") String trainingFile,
    @JsonProperty("validation_file") @Nullable String validationFile,
    @JsonProperty("estimated_finish") @Nullable Long estimatedFinish,
    List<Object> integrations,
    @Nullable Map<String, String> metadata,
    Method method,
    @JsonProperty("user_provided_suffix") @Nullable String userProvidedSuffix,
    Extension tuneforge) {

  /** The learning rate a multiplier of 1 stands for. */
  static final double BASE_LEARNING_RATE = 2e-4;

  record JobError(String code, String message, @Nullable String param) {}

  record Hyperparameters(
      @JsonProperty("batch_size") int batchSize,
      @JsonProperty("learning_rate_multiplier") double learningRateMultiplier,
      @JsonProperty("n_epochs") int nEpochs,
      @Nullable Double beta) {}

  record Method(String type, @Nullable Settings supervised, @Nullable Settings dpo) {}

  record Settings(Hyperparameters hyperparameters) {}

  record Extension(
      @JsonProperty("training_method") String trainingMethod,
      @JsonProperty("lora_r") int loraR,
      @JsonProperty("lora_alpha") double loraAlpha,
      @JsonProperty("lora_dropout") double loraDropout,
      @JsonProperty("target_modules") List<String> targetModules,
      @JsonProperty("learning_rate") double learningRate,
      @JsonProperty("max_steps") int maxSteps,
      @JsonProperty("max_sequence_length") int maxSequenceLength,
      @JsonProperty("checkpoint_every") int checkpointEvery,
      @JsonProperty("evaluation_examples") int evaluationExamples,
      @JsonProperty("evaluation_max_new_tokens") int evaluationMaxNewTokens,
      int steps,
      @JsonProperty("hold_reason") @Nullable String holdReason) {}

  static JobObject of(
      FineTuneJob job,
      String baseModel,
      @Nullable String tunedModel,
      String organization,
      @Nullable Map<String, String> metadata) {
    Hyperparameters hyperparameters =
        new Hyperparameters(
            job.getBatchSize(),
            job.getLearningRate() / BASE_LEARNING_RATE,
            job.getEpochs(),
            job.isDpo() ? job.getDpoBeta() : null);
    Settings settings = new Settings(hyperparameters);
    return new JobObject(
        OpenAiIds.job(job.getId()),
        "fine_tuning.job",
        job.getCreatedAt().getEpochSecond(),
        job.getStatus() == JobStatus.FAILED
            ? new JobError("training_failed", String.valueOf(job.getError()), null)
            : null,
        tunedModel,
        seconds(job.getFinishedAt()),
        hyperparameters,
        baseModel,
        organization,
        List.of(),
        job.getSeed(),
        job.getStatus().wire(),
        job.getStatus().finished() || job.getTrainedTokens() > 0 ? job.getTrainedTokens() : null,
        OpenAiIds.file(job.getDatasetVersionId()),
        job.getEvaluationDatasetVersionId() == null
            ? null
            : OpenAiIds.file(job.getEvaluationDatasetVersionId()),
        null,
        List.of(),
        metadata,
        job.isDpo() ? new Method("dpo", null, settings) : new Method("supervised", settings, null),
        job.getSuffix(),
        new Extension(
            job.getMethod(),
            job.getLoraR(),
            job.getLoraAlpha(),
            job.getLoraDropout(),
            job.getTargetModules(),
            job.getLearningRate(),
            job.getMaxSteps(),
            job.getMaxSeqLength(),
            job.getCheckpointEvery(),
            job.getEvaluationExamples(),
            job.getEvaluationMaxNewTokens(),
            job.getSteps(),
            job.getHoldReason()));
  }

  private static @Nullable Long seconds(@Nullable Instant at) {
    return at == null ? null : at.getEpochSecond();
  }
}
