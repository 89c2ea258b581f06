package dev.tuneforge.modelformat.folder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local folder as an object store may list it: with extra names of any shape, and counting the
 * bytes inspection reads.
 */
final class ObservedFolder implements ModelFolder {

  private final ModelFolder local;
  private final Map<String, Long> extraNames;
  private final AtomicLong bytesRead = new AtomicLong();

  ObservedFolder(Path directory, Map<String, Long> extraNames) {
    this.local = ModelFolder.of(directory);
    this.extraNames = Map.copyOf(extraNames);
  }

  @Override
  public Map<String, Long> files() throws IOException {
    Map<String, Long> files = new TreeMap<>(local.files());
    files.putAll(extraNames);
    return files;
  }

  @Override
  public byte[] read(String name, long offset, int length) throws IOException {
    byte[] bytes = local.read(name, offset, length);
    bytesRead.addAndGet(bytes.length);
    return bytes;
  }

  long bytesRead() {
    return bytesRead.get();
  }
}
