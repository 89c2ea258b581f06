package dev.tuneforge.trainingnode.serve;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.trainingnode.model.InferenceWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adapters loaded on demand beside one base model, at most {@code capacity} kept, the least
 * recently used evicted first. An adapter that running sequences use is pinned: it is never evicted
 * under them, so the cache may hold more than its capacity while more adapters than that decode at
 * once, and shrinks back as they finish. Used by the engine's thread only.
 */
final class AdapterCache implements AutoCloseable {

  private final int capacity;
  private final InferenceWeights base;
  private final NDManager manager;
  private final LinkedHashMap<String, LoadedAdapter> adapters =
      new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Integer> pins = new HashMap<>();
  private int loads;

  AdapterCache(int capacity, InferenceWeights base, NDManager manager) {
    if (capacity < 1) {
      throw new IllegalArgumentException("the adapter cache holds at least 1, not " + capacity);
    }
    this.capacity = capacity;
    this.base = base;
    this.manager = manager;
  }

  /** The adapter under {@code key}, loaded from {@code directory} when absent, and pinned. */
  LoadedAdapter acquire(String key, Path directory) throws IOException {
    LoadedAdapter adapter = adapters.get(key);
    if (adapter == null) {
      adapter = LoadedAdapter.load(key, directory, base, manager);
      loads++;
      adapters.put(key, adapter);
    }
    pins.merge(key, 1, Integer::sum);
    evictBeyondCapacity();
    return adapter;
  }

  /** Unpins an adapter a sequence no longer uses. */
  void release(LoadedAdapter adapter) {
    pins.computeIfPresent(adapter.key(), (key, count) -> count == 1 ? null : count - 1);
    evictBeyondCapacity();
  }

  private void evictBeyondCapacity() {
    Iterator<Map.Entry<String, LoadedAdapter>> eldest = adapters.entrySet().iterator();
    while (adapters.size() > capacity && eldest.hasNext()) {
      Map.Entry<String, LoadedAdapter> entry = eldest.next();
      if (!pins.containsKey(entry.getKey())) {
        entry.getValue().close();
        eldest.remove();
      }
    }
  }

  /** How many times an adapter was read from its files: reloads after eviction count again. */
  int loads() {
    return loads;
  }

  /** The keys held now, least recently used first. */
  List<String> keys() {
    return new ArrayList<>(adapters.keySet());
  }

  @Override
  public void close() {
    adapters.values().forEach(LoadedAdapter::close);
    adapters.clear();
  }
}
