package dev.tuneforge.protocol;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One line of {@code evaluation/generations.jsonl}: an example of the evaluation set, its prompt
 * (every message before the last assistant turn), the expected answer (that turn's content) and
 * what the base model and the tuned model generated for the same prompt with the same decoding
 * settings, with the number of tokens each generated and why it stopped ({@code eos} or {@code
 * length}). The latency of each answer, measured by the node while generating: seconds to its first
 * token (the prompt's prefill, batched with the other prompts of its batch) and new tokens per
 * second after the first; null in files from before they were measured, and tokens per second null
 * for an answer of fewer than two tokens.
 */
public record EvaluationExample(
    int index,
    List<PromptMessage> prompt,
    String expected,
    String baseOutput,
    String tunedOutput,
    int baseOutputTokens,
    int tunedOutputTokens,
    String baseStop,
    String tunedStop,
    @Nullable Double baseFirstTokenSeconds,
    @Nullable Double baseTokensPerSecond,
    @Nullable Double tunedFirstTokenSeconds,
    @Nullable Double tunedTokensPerSecond) {

  public EvaluationExample {
    prompt = List.copyOf(prompt);
  }
}
