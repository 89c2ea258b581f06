package dev.tuneforge.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Everything a training run needs besides its files: the job, the base model's catalogue name
 * (written into {@code adapter_config.json}), LoRA settings, hyperparameters, optional {@link
 * TrainingOptions} (null or missing: all defaults) and the {@code method}: {@value #LORA} (null or
 * missing) trains a LoRA adapter, {@value #FULL} trains every weight of the model and delivers a
 * whole model, ignoring the LoRA settings.
 */
public record TrainingSpec(
    String jobId,
    String baseModel,
    LoraSettings lora,
    Hyperparameters hyperparameters,
    @Nullable TrainingOptions options,
    @Nullable String method) {

  public static final String LORA = "lora";
  public static final String FULL = "full";

  public TrainingSpec {
    if (method != null && !method.equals(LORA) && !method.equals(FULL)) {
      throw new IllegalArgumentException(
          "method must be \"" + LORA + "\" or \"" + FULL + "\", not \"" + method + "\"");
    }
  }

  /** A LoRA run. */
  public TrainingSpec(
      String jobId,
      String baseModel,
      LoraSettings lora,
      Hyperparameters hyperparameters,
      @Nullable TrainingOptions options) {
    this(jobId, baseModel, lora, hyperparameters, options, null);
  }

  /** Whether every weight is trained (method {@value #FULL}) rather than a LoRA adapter. */
  public boolean fullFineTuning() {
    return FULL.equals(method);
  }

  /** The options with every default filled in. */
  public TrainingOptions resolvedOptions() {
    return options == null ? TrainingOptions.DEFAULTS : options.withDefaults();
  }
}
