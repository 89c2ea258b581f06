package dev.tuneforge.app.usage;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How much work a job asks for: its dataset version and base model, the method, passes over the
 * data ({@code examplesPerStep} is batch size × gradient accumulation, what one optimiser step
 * learns from), the maximum sequence length rows are truncated to, the held-out examples both
 * models answer afterwards (of {@code evaluationDatasetVersionId}, or of the training dataset's
 * validation split when it is null) with at most {@code evaluationMaxNewTokens} generated tokens
 * per answer, and what it already trained.
 */
public record JobWork(
    UUID datasetVersionId,
    UUID baseModelId,
    String method,
    int epochs,
    int maxSteps,
    int examplesPerStep,
    int maxSequenceLength,
    @Nullable UUID evaluationDatasetVersionId,
    int evaluationExamples,
    int evaluationMaxNewTokens,
    long trainedTokens) {

  public JobWork {
    examplesPerStep = Math.max(1, examplesPerStep);
    epochs = Math.max(1, epochs);
  }
}
