package dev.tuneforge.protocol;

import java.util.List;

/**
 * The body of a serving node's long poll on {@link NodeApi#GENERATIONS}: the {@link
 * ModelFiles#cacheKey()}s of the base models it has loaded and of the adapters in its adapter cache
 * (so that the app can prefer a node that needs no download), and {@code capacity}, how many more
 * {@link GenerationRequest}s it takes now (the app answers at most that many; at least 1).
 */
public record GenerationPoll(
    List<String> loadedBaseModels, List<String> loadedAdapters, int capacity) {

  public GenerationPoll {
    loadedBaseModels = List.copyOf(loadedBaseModels);
    loadedAdapters = List.copyOf(loadedAdapters);
    if (capacity < 1) {
      throw new IllegalArgumentException("a node polls for at least one request, not " + capacity);
    }
  }
}
