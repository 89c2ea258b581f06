package dev.tuneforge.protocol;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything a training run needs besides its files: the job, the base model's catalogue name
 * (written into {@code adapter_config.json}), LoRA settings, hyperparameters, optional {@link
 * TrainingOptions} (null or missing: all defaults) and the {@code method}: {@value #LORA} (null or
 * missing) trains a LoRA adapter, {@value #QLORA} trains a LoRA adapter over the base kept in 4-bit
 * NormalFloat (NF4), {@value #FULL} trains every weight of the model and delivers a whole model,
 * ignoring the LoRA settings.
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
  public static final String QLORA = "qlora";

  /** Every method, in the order a form offers them. */
  public static final List<String> METHODS = List.of(LORA, QLORA, FULL);

  public TrainingSpec {
    if (method != null && !METHODS.contains(method)) {
      throw new IllegalArgumentException(
          "method must be one of " + METHODS + ", not \"" + method + "\"");
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

  /** Whether the LoRA adapter trains over an NF4 base (method {@value #QLORA}). */
  public boolean quantizedBase() {
    return QLORA.equals(method);
  }

  /** The method, {@value #LORA} when none is given. */
  public String resolvedMethod() {
    return method == null ? LORA : method;
  }

  /** The options with every default filled in. */
  public TrainingOptions resolvedOptions() {
    return options == null ? TrainingOptions.DEFAULTS : options.withDefaults();
  }
}
