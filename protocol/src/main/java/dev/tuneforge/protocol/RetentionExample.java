package dev.tuneforge.protocol;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One line of {@code evaluation/retention.jsonl}: an item of the general-ability set, what the base
 * and the tuned model answered (greedy, as in the evaluation), and each model's mean per-token loss
 * (nats) on the expected answer, teacher-forced, over {@code answerTokens} tokens; the losses are
 * null when no answer token fits the sequence length.
 */
public record RetentionExample(
    int index,
    List<PromptMessage> prompt,
    String expected,
    String baseOutput,
    String tunedOutput,
    @Nullable Double baseLoss,
    @Nullable Double tunedLoss,
    int answerTokens) {

  public RetentionExample {
    prompt = List.copyOf(prompt);
  }
}
