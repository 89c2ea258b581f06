package dev.tuneforge.app.serving;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How to generate: the most new tokens, temperature (0: greedy), nucleus {@code topP}, a seed for
 * repeatable sampling, up to 4 stop strings, and JSON-only decoding.
 */
public record GenerationSettings(
    int maxTokens,
    double temperature,
    double topP,
    @Nullable Long seed,
    List<String> stop,
    boolean jsonOnly) {

  /** OpenAI's defaults where a request says nothing, with {@code maxTokens} new tokens at most. */
  public static final int DEFAULT_MAX_TOKENS = 512;

  public GenerationSettings {
    stop = stop == null ? List.of() : List.copyOf(stop);
  }

  public static GenerationSettings greedy(int maxTokens, boolean jsonOnly) {
    return new GenerationSettings(maxTokens, 0, 1, null, List.of(), jsonOnly);
  }
}
