package dev.tuneforge.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A piece of a generation's answer, posted by the serving node to {@link NodeApi#GENERATION_CHUNKS}
 * as tokens come, in order ({@code index} 0, 1, 2 … so the app can put them in order and drop a
 * repeat).
 *
 * <ul>
 *   <li>{@code delta}: the text the answer grew by (may be empty: a token can end inside a
 *       multi-byte character, whose text comes with the next); the deltas of all chunks
 *       concatenated are the answer.
 *   <li>{@code tokens}: how many new tokens this chunk covers.
 *   <li>{@code finishReason}: null while the answer goes on; on the last chunk {@value #STOP} (an
 *       end-of-sequence token, a stop string, or a JSON-only value closed) or {@value #LENGTH} (max
 *       tokens or the model's context reached).
 *   <li>{@code usage}: on the last chunk only, the prompt's and the answer's token counts, what
 *       metering counts.
 *   <li>{@code error}: when the node could not generate (the adapter does not fit the base, the
 *       prompt is longer than the model's context, a download failed): the reason, for the caller;
 *       such a chunk is the last and has no finish reason.
 * </ul>
 */
public record GenerationChunk(
    int index,
    String delta,
    int tokens,
    @Nullable String finishReason,
    @Nullable Usage usage,
    @Nullable String error) {

  public static final String STOP = "stop";
  public static final String LENGTH = "length";

  public GenerationChunk {
    if (finishReason != null && !finishReason.equals(STOP) && !finishReason.equals(LENGTH)) {
      throw new IllegalArgumentException(
          "a finish reason is \""
              + STOP
              + "\" or \""
              + LENGTH
              + "\", not \""
              + finishReason
              + "\"");
    }
  }

  /** Text that continues the answer. */
  public static GenerationChunk text(int index, String delta, int tokens) {
    return new GenerationChunk(index, delta, tokens, null, null, null);
  }

  /** The last chunk of an answer that ended normally. */
  public static GenerationChunk last(
      int index, String delta, int tokens, String finishReason, Usage usage) {
    return new GenerationChunk(index, delta, tokens, finishReason, usage, null);
  }

  /** The last chunk of a generation that failed. */
  public static GenerationChunk failed(int index, String error) {
    return new GenerationChunk(index, "", 0, null, null, error);
  }

  /** Whether no chunk follows this one. */
  public boolean isLast() {
    return finishReason != null || error != null;
  }

  /** Tokens read and written by one generation, as OpenAI's {@code usage} counts them. */
  public record Usage(int promptTokens, int completionTokens) {}
}
