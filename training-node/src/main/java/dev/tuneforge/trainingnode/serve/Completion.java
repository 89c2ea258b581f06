package dev.tuneforge.trainingnode.serve;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One generation for the {@link ServingEngine}: the prompt's tokens ({@link
 * ServingEngine#encodeChat}, {@link ServingEngine#encodeText}), the adapter (its cache key and its
 * PEFT folder; both null for the base alone) and how to decode: at most {@code maxTokens} new
 * tokens, greedy at temperature 0, else sampled with nucleus {@code topP} from {@code seed}, ending
 * at the first of the {@code stop} strings, and with {@code jsonOnly} as one valid JSON object.
 */
public record Completion(
    long[] promptIds,
    @Nullable String adapterKey,
    @Nullable Path adapterDirectory,
    int maxTokens,
    double temperature,
    double topP,
    long seed,
    List<String> stop,
    boolean jsonOnly) {

  public Completion {
    promptIds = promptIds.clone();
    stop = List.copyOf(stop);
    if (promptIds.length == 0) {
      throw new IllegalArgumentException("a prompt needs at least one token");
    }
    if ((adapterKey == null) != (adapterDirectory == null)) {
      throw new IllegalArgumentException("an adapter needs both its key and its folder");
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("max tokens must be at least 1");
    }
  }

  /** Greedy decoding of {@code maxTokens} at most, nothing else asked. */
  public static Completion greedy(
      long[] promptIds,
      @Nullable String adapterKey,
      @Nullable Path adapterDirectory,
      int maxTokens) {
    return new Completion(
        promptIds, adapterKey, adapterDirectory, maxTokens, 0, 1, 0, List.of(), false);
  }

  /** The same completion answered as one JSON object. */
  public Completion asJson() {
    return new Completion(
        promptIds, adapterKey, adapterDirectory, maxTokens, temperature, topP, seed, stop, true);
  }

  @Override
  public long[] promptIds() {
    return promptIds.clone();
  }
}
