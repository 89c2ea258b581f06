package dev.tuneforge.trainingnode.serve;

/**
 * Where the engine sends one generation's answer as it is decoded, on the engine's thread: keep
 * each call short (hand the text to another thread to send it anywhere slow).
 */
public interface GenerationStream {

  /**
   * After each new token: {@code delta} is the text the answer grew by, empty while a stop string
   * may be starting or a character is incomplete.
   */
  void onToken(long tokenId, String delta);

  /**
   * The last call of an answer that ended: {@code finishReason} {@code stop} or {@code length},
   * {@code delta} the text held back until now, the prompt's and the answer's token counts.
   */
  void onFinish(String delta, String finishReason, int promptTokens, int completionTokens);

  /** The last call of a generation that could not run (a bad adapter, an overlong prompt). */
  void onError(String message);

  /** Checked between steps: true drops the generation without further calls. */
  default boolean cancelled() {
    return false;
  }

  /** The logits the next token is chosen from, before any constraint: for tests and tools. */
  default void onLogits(float[] logits) {}
}
