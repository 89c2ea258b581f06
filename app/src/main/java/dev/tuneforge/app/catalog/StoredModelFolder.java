package dev.tuneforge.app.catalog;

import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.modelformat.folder.ModelFolder;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model folder under an object-storage prefix. Inspection lists it once and reads each file's
 * bytes with a ranged GET, so of the weights only the safetensors headers travel.
 */
final class StoredModelFolder implements ModelFolder {
  private final ObjectStorage storage;
  private final String prefix;
  private final AtomicLong bytesRead = new AtomicLong();

  StoredModelFolder(ObjectStorage storage, String prefix) {
    this.storage = storage;
    this.prefix = prefix;
  }

  @Override
  public Map<String, Long> files() {
    Map<String, Long> files = new TreeMap<>();
    storage.sizes(prefix).forEach((key, size) -> files.put(key.substring(prefix.length()), size));
    return files;
  }

  @Override
  public byte[] read(String name, long offset, int length) {
    byte[] bytes = storage.read(prefix + name, offset, length);
    bytesRead.addAndGet(bytes.length);
    return bytes;
  }

  /** How many bytes inspection has read so far. */
  long bytesRead() {
    return bytesRead.get();
  }
}
