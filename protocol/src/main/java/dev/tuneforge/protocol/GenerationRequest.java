package dev.tuneforge.protocol;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One generation a serving node runs, handed out by {@link NodeApi#GENERATIONS}; the node answers
 * with {@link GenerationChunk}s on {@link NodeApi#GENERATION_CHUNKS} under {@code id}.
 *
 * <ul>
 *   <li>{@code baseModel}: the base model's files (Hugging Face layout), cached by the node under
 *       their cache key, the object prefix.
 *   <li>{@code adapter}: a LoRA adapter in PEFT's layout applied to that base for this request
 *       only, cached under its id; null serves the base model alone.
 *   <li>{@code messages} (a chat, rendered by the base model's chat template with the generation
 *       prompt, as OpenAI's chat completions) or {@code prompt} (raw text continued as it is, as
 *       OpenAI's completions): exactly one of them.
 *   <li>{@code maxTokens}: the most new tokens, at least 1 (finish reason {@value
 *       GenerationChunk#LENGTH} when reached).
 *   <li>{@code temperature} 0 decodes greedily; above 0 samples with nucleus {@code topP} in (0, 1]
 *       from a generator seeded by {@code seed} (null: the node picks one), so equal requests with
 *       a seed give equal answers.
 *   <li>{@code stop}: strings that end the answer where one first appears (it is left out of the
 *       text, finish reason {@value GenerationChunk#STOP}); empty for none, at most 4 as OpenAI
 *       allows.
 *   <li>{@code jsonOnly}: constrained decoding keeps the output a valid JSON value (OpenAI's {@code
 *       response_format: json_object}); it ends when the value closes.
 * </ul>
 */
public record GenerationRequest(
    UUID id,
    ModelFiles baseModel,
    @Nullable ModelFiles adapter,
    @Nullable List<PromptMessage> messages,
    @Nullable String prompt,
    int maxTokens,
    double temperature,
    double topP,
    @Nullable Long seed,
    List<String> stop,
    boolean jsonOnly) {

  public GenerationRequest {
    if ((messages == null) == (prompt == null)) {
      throw new IllegalArgumentException("a generation has either messages or a prompt");
    }
    if (messages != null) {
      if (messages.isEmpty()) {
        throw new IllegalArgumentException("a chat generation needs at least one message");
      }
      messages = List.copyOf(messages);
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("max tokens must be at least 1, not " + maxTokens);
    }
    if (!(temperature >= 0)) {
      throw new IllegalArgumentException("temperature must be 0 or above, not " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top_p must be in (0, 1], not " + topP);
    }
    stop = stop == null ? List.of() : List.copyOf(stop);
    if (stop.size() > 4 || stop.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("at most 4 stop strings, none empty");
    }
  }

  /** A chat generation, greedy unless {@code temperature} is above 0. */
  public static GenerationRequest chat(
      UUID id,
      ModelFiles baseModel,
      @Nullable ModelFiles adapter,
      List<PromptMessage> messages,
      int maxTokens,
      double temperature) {
    return new GenerationRequest(
        id, baseModel, adapter, messages, null, maxTokens, temperature, 1, null, List.of(), false);
  }

  /** Whether the node renders {@link #messages()} with the chat template. */
  public boolean isChat() {
    return messages != null;
  }
}
