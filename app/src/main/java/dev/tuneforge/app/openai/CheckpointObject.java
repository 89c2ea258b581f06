package dev.tuneforge.app.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tuneforge.app.finetune.JobCheckpoint;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's fine-tuning job checkpoint: a checkpoint in storage with its step's losses. Its model
 * name follows OpenAI's {@code ft:…:ckpt-step-N}; checkpoints are not served as models.
 */
record CheckpointObject(
    String id,
    String object,
    @JsonProperty("created_at") long createdAt,
    @JsonProperty("fine_tuned_model_checkpoint") String fineTunedModelCheckpoint,
    @JsonProperty("fine_tuning_job_id") String fineTuningJobId,
    Metrics metrics,
    @JsonProperty("step_number") long stepNumber) {

  record Metrics(
      double step,
      @JsonProperty("train_loss") @Nullable Double trainLoss,
      @JsonProperty("valid_loss") @Nullable Double validLoss) {}

  static CheckpointObject of(UUID jobId, String modelName, JobCheckpoint checkpoint) {
    return new CheckpointObject(
        OpenAiIds.CHECKPOINT + jobId + "-" + checkpoint.step(),
        "fine_tuning.job.checkpoint",
        checkpoint.at().getEpochSecond(),
        modelName + ":ckpt-step-" + checkpoint.step(),
        OpenAiIds.job(jobId),
        new Metrics(checkpoint.step(), checkpoint.trainLoss(), checkpoint.validationLoss()),
        checkpoint.step());
  }
}
