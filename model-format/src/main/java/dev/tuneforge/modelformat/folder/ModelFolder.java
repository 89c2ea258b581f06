package dev.tuneforge.modelformat.folder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of a Hugging Face model folder, wherever they lie: a local directory, an object-storage
 * prefix, a finished browser upload. Inspection reads only what it needs: small JSON files whole,
 * and of each safetensors file its header.
 */
public interface ModelFolder {

  /**
   * Every file with its size in bytes, by its name relative to the folder as the source gives it (a
   * name may try to leave the folder; inspection refuses such names).
   */
  Map<String, Long> files() throws IOException;

  /** Up to {@code length} bytes of a file from {@code offset}; fewer only at its end. */
  byte[] read(String name, long offset, int length) throws IOException;

  /** A local directory and the files below it. */
  static ModelFolder of(Path directory) {
    Path root = directory.toAbsolutePath().normalize();
    return new ModelFolder() {
      @Override
      public Map<String, Long> files() throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
          for (Path path : paths.filter(Files::isRegularFile).toList()) {
            files.put(root.relativize(path).toString().replace('\\', '/'), Files.size(path));
          }
        }
        return files;
      }

      @Override
      public byte[] read(String name, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(root.resolve(name), StandardOpenOption.READ)) {
          int available = (int) Math.max(0, Math.min(length, channel.size() - offset));
          ByteBuffer buffer = ByteBuffer.allocate(available);
          long at = offset;
          while (buffer.hasRemaining() && channel.read(buffer, at) > 0) {
            at = offset + buffer.position();
          }
          return buffer.array();
        }
      }
    };
  }
}
