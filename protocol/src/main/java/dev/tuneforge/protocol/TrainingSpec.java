package dev.tuneforge.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Everything a training run needs besides its files: the job, the base model's catalogue name
 * (written into {@code adapter_config.json}), LoRA settings, hyperparameters and optional
 * {@link TrainingOptions} (null or missing: all defaults).
 */
public record TrainingSpec(
    String jobId,
    String baseModel,
    LoraSettings lora,
    Hyperparameters hyperparameters,
    @Nullable TrainingOptions options) {

  /** The options with every default filled in. */
  public TrainingOptions resolvedOptions() {
    return options == null ? TrainingOptions.DEFAULTS : options.withDefaults();
  }
}
