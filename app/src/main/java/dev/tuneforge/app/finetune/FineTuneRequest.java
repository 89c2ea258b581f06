package dev.tuneforge.app.finetune;

import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a user chooses on the new fine-tune form. {@code checkpointEvery} is the number of steps
 * between checkpoints (0: only at the end); a job that loses its node resumes from the last one.
 * After training, the base and the tuned model answer up to {@code evaluationExamples} prompts
 * (0: no evaluation) of {@code evaluationDatasetVersionId}, or of the training dataset's
 * validation split when that is null. {@code useRslora} scales the adapter by alpha / sqrt(r)
 * instead of alpha / r; {@code packing} packs several examples into each row of
 * {@code maxSequenceLength} tokens (same loss, less padding computed). {@code method} is
 * {@value #LORA} (null: the same) or {@value #FULL}, which trains every weight, ignores the LoRA
 * settings and delivers a whole model instead of an adapter.
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
    boolean useRslora,
    boolean packing,
    @Nullable String method) {

  public static final String LORA = TrainingSpec.LORA;
  public static final String FULL = TrainingSpec.FULL;

  /** A LoRA fine-tune. */
  public FineTuneRequest(
      UUID baseModelId, UUID datasetVersionId, int loraR, double loraAlpha, double loraDropout,
      List<String> targetModules, int epochs, double learningRate, int batchSize, int maxSequenceLength,
      long seed, int maxSteps, int checkpointEvery, @Nullable UUID evaluationDatasetVersionId,
      int evaluationExamples, boolean useRslora, boolean packing) {
    this(baseModelId, datasetVersionId, loraR, loraAlpha, loraDropout, targetModules, epochs, learningRate,
        batchSize, maxSequenceLength, seed, maxSteps, checkpointEvery, evaluationDatasetVersionId,
        evaluationExamples, useRslora, packing, null);
  }

  public static final int DEFAULT_EVALUATION_EXAMPLES = TrainingOptions.DEFAULTS.evaluationExamples();

  /** Plain LoRA scaling, no packing. */
  public FineTuneRequest(
      UUID baseModelId, UUID datasetVersionId, int loraR, double loraAlpha, double loraDropout,
      List<String> targetModules, int epochs, double learningRate, int batchSize, int maxSequenceLength,
      long seed, int maxSteps, int checkpointEvery, @Nullable UUID evaluationDatasetVersionId,
      int evaluationExamples) {
    this(baseModelId, datasetVersionId, loraR, loraAlpha, loraDropout, targetModules, epochs, learningRate,
        batchSize, maxSequenceLength, seed, maxSteps, checkpointEvery, evaluationDatasetVersionId,
        evaluationExamples, false, false);
  }

  /** Evaluates on the validation split with the default number of examples. */
  public FineTuneRequest(
      UUID baseModelId, UUID datasetVersionId, int loraR, double loraAlpha, double loraDropout,
      List<String> targetModules, int epochs, double learningRate, int batchSize, int maxSequenceLength,
      long seed, int maxSteps, int checkpointEvery) {
    this(baseModelId, datasetVersionId, loraR, loraAlpha, loraDropout, targetModules, epochs, learningRate,
        batchSize, maxSequenceLength, seed, maxSteps, checkpointEvery, null, DEFAULT_EVALUATION_EXAMPLES);
  }

  public static final int DEFAULT_CHECKPOINT_EVERY = TrainingOptions.DEFAULTS.checkpointEvery();

  public static final List<String> PROJECTIONS =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");


  /** Sensible LoRA defaults for small models. */
  public static FineTuneRequest defaults(UUID baseModelId, UUID datasetVersionId) {
    return new FineTuneRequest(
        baseModelId, datasetVersionId, 8, 16, 0.05, List.of("q_proj", "v_proj"), 1, 2e-4, 4, 512, 42, 0,
        DEFAULT_CHECKPOINT_EVERY);
  }

  /** This request with another method, {@value #LORA} or {@value #FULL}. */
  public FineTuneRequest withMethod(String newMethod) {
    return new FineTuneRequest(baseModelId, datasetVersionId, loraR, loraAlpha, loraDropout, targetModules, epochs,
        learningRate, batchSize, maxSequenceLength, seed, maxSteps, checkpointEvery, evaluationDatasetVersionId,
        evaluationExamples, useRslora, packing, newMethod);
  }

  /** Whether every weight trains rather than a LoRA adapter. */
  public boolean fullFineTuning() {
    return FULL.equals(method);
  }

  /** The first problem with these settings, or null; the LoRA settings of a full fine-tune are not looked at. */
  String problem() {
    if (method != null && !method.equals(LORA) && !method.equals(FULL)) {
      return "The method must be LoRA (\"" + LORA + "\") or full fine-tuning (\"" + FULL + "\"), not \"" + method + "\"";
    }
    return fullFineTuning() ? trainingProblem() : loraProblem();
  }

  private @Nullable String loraProblem() {
    if (loraR < 1 || loraR > 256) return "LoRA r must be between 1 and 256";
    if (loraAlpha <= 0) return "LoRA alpha must be positive";
    if (loraDropout < 0 || loraDropout >= 1) return "LoRA dropout must be in [0, 1)";
    if (targetModules.isEmpty()) return "Choose at least one target module";
    if (!PROJECTIONS.containsAll(targetModules)) return "Target modules must be among " + PROJECTIONS;
    return trainingProblem();
  }

  private @Nullable String trainingProblem() {
    if (epochs < 1 || epochs > 100) return "Epochs must be between 1 and 100";
    if (learningRate <= 0 || learningRate > 1) return "The learning rate must be in (0, 1]";
    if (batchSize < 1 || batchSize > 512) return "The batch size must be between 1 and 512";
    if (maxSequenceLength < 16 || maxSequenceLength > 32768) return "The max sequence length must be between 16 and 32768";
    if (maxSteps < 0) return "Max steps cannot be negative";
    if (checkpointEvery < 0) return "Checkpoint every N steps cannot be negative";
    if (evaluationExamples < 0 || evaluationExamples > 10_000) return "Evaluation examples must be between 0 and 10000";
    if (datasetVersionId.equals(evaluationDatasetVersionId)) {
      return "Evaluate on held-out data, not on the training dataset itself";
    }
    return null;
  }
}
