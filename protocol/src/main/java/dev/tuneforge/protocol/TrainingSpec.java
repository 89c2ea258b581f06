package dev.tuneforge.protocol;

/**
 * Everything a training run needs besides its files: the job, the base model's catalogue name
 * (written into {@code adapter_config.json}), LoRA settings and hyperparameters.
 */
public record TrainingSpec(
    String jobId, String baseModel, LoraSettings lora, Hyperparameters hyperparameters) {}
