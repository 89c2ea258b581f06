package dev.tuneforge.protocol;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything a training run needs besides its files: the job, the base model's name (its Hugging
 * Face id, such as {@code Qwen/Qwen3-0.6B}, written into {@code adapter_config.json} as {@code
 * base_model_name_or_path}), LoRA settings, hyperparameters, optional {@link TrainingOptions} (null
 * or missing: all defaults), the {@code method}: {@value #LORA} (null or missing) trains a LoRA
 * adapter, {@value #QLORA} trains a LoRA adapter over the base kept in 4-bit NormalFloat (NF4),
 * {@value #FULL} trains every weight of the model and delivers a whole model, ignoring the LoRA
 * settings, {@value #DPO} trains a LoRA adapter on preference pairs with DPO's loss ({@code
 * preference}: its β and SFT weight, null or missing: {@link PreferenceSettings#DEFAULTS}); and the
 * base model's Hugging Face {@code baseModelRevision} when it has one (null or missing: none),
 * written as PEFT's {@code revision}.
 */
public record TrainingSpec(
    String jobId,
    String baseModel,
    LoraSettings lora,
    Hyperparameters hyperparameters,
    @Nullable TrainingOptions options,
    @Nullable String method,
    @Nullable String baseModelRevision,
    @Nullable PreferenceSettings preference) {

  public static final String LORA = "lora";
  public static final String FULL = "full";
  public static final String QLORA = "qlora";
  public static final String DPO = "dpo";

  /** Every method, in the order a form offers them. */
  public static final List<String> METHODS = List.of(LORA, QLORA, FULL, DPO);

  public TrainingSpec {
    if (method != null && !METHODS.contains(method)) {
      throw new IllegalArgumentException(
          "method must be one of " + METHODS + ", not \"" + method + "\"");
    }
  }

  /** A run that is not DPO, or DPO with the default settings. */
  public TrainingSpec(
      String jobId,
      String baseModel,
      LoraSettings lora,
      Hyperparameters hyperparameters,
      @Nullable TrainingOptions options,
      @Nullable String method,
      @Nullable String baseModelRevision) {
    this(jobId, baseModel, lora, hyperparameters, options, method, baseModelRevision, null);
  }

  /** A run of a base model without a revision. */
  public TrainingSpec(
      String jobId,
      String baseModel,
      LoraSettings lora,
      Hyperparameters hyperparameters,
      @Nullable TrainingOptions options,
      @Nullable String method) {
    this(jobId, baseModel, lora, hyperparameters, options, method, null);
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

  /** Whether the adapter trains on preference pairs with DPO's loss (method {@value #DPO}). */
  public boolean preferencePairs() {
    return DPO.equals(method);
  }

  /** DPO's settings, the defaults when none are given. */
  public PreferenceSettings resolvedPreference() {
    return preference == null ? PreferenceSettings.DEFAULTS : preference;
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
