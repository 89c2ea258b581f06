package dev.tuneforge.trainingnode.evaluate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.trainingnode.generate.GenerationResult;
import dev.tuneforge.trainingnode.generate.Generator;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The tuned model so far answering the first few validation prompts, greedily and in one batch,
 * each time the trainer measures the validation loss. Greedy decoding draws no random number, so
 * the run's dropout and data order stay as they would be without samples. The answers alone are
 * sent: the same prompts come back each time, so a user sees the answer change as training goes.
 */
public final class ValidationSamples implements Trainer.Samples {

  /** Samples are a glimpse, not the evaluation: a short cap keeps them cheap between steps. */
  static final int MAX_NEW_TOKENS = 128;

  private final Generator generator;
  private final List<List<ChatMessage>> prompts;

  private ValidationSamples(Generator generator, List<List<ChatMessage>> prompts) {
    this.generator = generator;
    this.prompts = prompts;
  }

  /**
   * Samples from the first {@code count} validation conversations, up to {@code maxNewTokens} (at
   * most 128).
   */
  public static ValidationSamples of(
      LlamaModel model,
      HuggingFaceTokenizer tokenizer,
      Path modelDirectory,
      List<Conversation> validation,
      int count,
      int maxNewTokens)
      throws IOException {
    Generator generator =
        Generator.builder()
            .setModel(model)
            .setTokenizer(tokenizer)
            .optModelDirectory(modelDirectory)
            .optMaxNewTokens(Math.min(maxNewTokens, MAX_NEW_TOKENS))
            .build();
    List<List<ChatMessage>> prompts =
        EvaluationSet.first(validation, count).stream().map(EvaluationCase::prompt).toList();
    return new ValidationSamples(generator, prompts);
  }

  @Override
  public List<String> answers() {
    return prompts.isEmpty()
        ? List.of()
        : generator.generateBatch(prompts).stream().map(GenerationResult::text).toList();
  }
}
