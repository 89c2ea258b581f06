package dev.tuneforge.protocol;

import java.util.List;

/**
 * One line of {@code evaluation/generations.jsonl}: an example of the evaluation set, its prompt
 * (every message before the last assistant turn), the expected answer (that turn's content) and
 * what the base model and the tuned model generated for the same prompt with the same decoding
 * settings, with the number of tokens each generated and why it stopped ({@code eos} or {@code
 * length}).
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
    String tunedStop) {

  public EvaluationExample {
    prompt = List.copyOf(prompt);
  }
}
