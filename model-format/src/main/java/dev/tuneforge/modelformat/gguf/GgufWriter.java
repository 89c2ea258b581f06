package dev.tuneforge.modelformat.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF file as the specification (version 3) lays it out: the magic {@code GGUF}, the
 * version, the tensor and key-value counts, the typed key-values, the tensor infos (name, dims
 * innermost first, ggml type, offset into the data), padding to {@link #ALIGNMENT}, then each
 * tensor's data, each padded to the alignment. Little-endian throughout. A value's GGUF type comes
 * from its Java type: String, Integer (uint32), Float (float32), Boolean, {@code List<String>},
 * {@code int[]} (int32 array) and {@code float[]} (float32 array).
 */
public final class GgufWriter {

  /** {@code general.alignment}'s default, which this writer uses. */
  public static final int ALIGNMENT = 32;

  static final int MAGIC = 0x46554747;
  static final int VERSION = 3;
  static final int UINT32 = 4;
  static final int INT32 = 5;
  static final int FLOAT32 = 6;
  static final int BOOL = 7;
  static final int STRING = 8;
  static final int ARRAY = 9;

  private static final int CHUNK_VALUES = 1 << 20;

  private record Pending(String name, long[] shape, float[] values, GgufType type) {}

  private final Map<String, Object> metadata = new LinkedHashMap<>();
  private final List<Pending> tensors = new ArrayList<>();

  /** Adds or replaces a key-value; see the class comment for the types it takes. */
  public GgufWriter put(String key, Object value) {
    if (!(value instanceof String
        || value instanceof Integer
        || value instanceof Float
        || value instanceof Boolean
        || value instanceof List<?>
        || value instanceof int[]
        || value instanceof float[])) {
      throw new IllegalArgumentException(
          key + ": GGUF metadata cannot hold a " + value.getClass().getSimpleName());
    }
    metadata.put(key, value);
    return this;
  }

  /**
   * Adds a tensor in row-major order as PyTorch holds it ({@code [out, in]}); the file stores its
   * dims reversed, as ggml counts them.
   *
   * @throws IllegalArgumentException when a row's length is not a multiple of the type's block
   */
  public GgufWriter addTensor(String name, long[] shape, float[] values, GgufType type) {
    long row = shape.length == 0 ? 1 : shape[shape.length - 1];
    if (row % type.blockSize() != 0) {
      throw new IllegalArgumentException(
          name
              + " has rows of "
              + row
              + " values, which "
              + type
              + " cannot store (blocks of "
              + type.blockSize()
              + ")");
    }
    tensors.add(new Pending(name, shape.clone(), values, type));
    return this;
  }

  /** Writes the file; a partly written file never stays behind under {@code file}'s name. */
  public void write(Path file) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (FileChannel channel =
        FileChannel.open(
            partial,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(channel, header());
      for (Pending tensor : tensors) {
        writeData(channel, tensor);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private ByteBuffer header() {
    Out out = new Out();
    out.putInt(MAGIC);
    out.putInt(VERSION);
    out.putLong(tensors.size());
    out.putLong(metadata.size());
    metadata.forEach(
        (key, value) -> {
          out.putString(key);
          putValue(out, value);
        });
    long offset = 0;
    for (Pending tensor : tensors) {
      out.putString(tensor.name());
      out.putInt(tensor.shape().length);
      for (int i = tensor.shape().length - 1; i >= 0; i--) {
        out.putLong(tensor.shape()[i]);
      }
      out.putInt(tensor.type().id());
      out.putLong(offset);
      offset += padded(tensor.type().bytes(tensor.values().length));
    }
    out.pad();
    return out.buffer();
  }

  private static void putValue(Out out, Object value) {
    switch (value) {
      case String s -> {
        out.putInt(STRING);
        out.putString(s);
      }
      case Integer i -> {
        out.putInt(UINT32);
        out.putInt(i);
      }
      case Float f -> {
        out.putInt(FLOAT32);
        out.putFloat(f);
      }
      case Boolean b -> {
        out.putInt(BOOL);
        out.put((byte) (b ? 1 : 0));
      }
      case int[] ints -> {
        out.putInt(ARRAY);
        out.putInt(INT32);
        out.putLong(ints.length);
        Arrays.stream(ints).forEach(out::putInt);
      }
      case float[] floats -> {
        out.putInt(ARRAY);
        out.putInt(FLOAT32);
        out.putLong(floats.length);
        for (float f : floats) {
          out.putFloat(f);
        }
      }
      case List<?> strings -> {
        out.putInt(ARRAY);
        out.putInt(STRING);
        out.putLong(strings.size());
        strings.forEach(s -> out.putString((String) s));
      }
      default -> throw new IllegalStateException("unreachable: " + value.getClass());
    }
  }

  private static void writeData(FileChannel channel, Pending tensor) throws IOException {
    float[] values = tensor.values();
    GgufType type = tensor.type();
    ByteBuffer buffer =
        ByteBuffer.allocate((int) type.bytes(Math.min(values.length, CHUNK_VALUES)))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (int from = 0; from < values.length; from += CHUNK_VALUES) {
      buffer.clear();
      type.encode(values, from, Math.min(CHUNK_VALUES, values.length - from), buffer);
      writeFully(channel, buffer.flip());
    }
    long written = type.bytes(values.length);
    writeFully(channel, ByteBuffer.allocate((int) (padded(written) - written)));
  }

  static long padded(long bytes) {
    return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** A growing little-endian buffer for the header. */
  private static final class Out {
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    private void room(int bytes) {
      if (buffer.remaining() < bytes) {
        int size = Math.max(buffer.capacity() * 2, buffer.position() + bytes);
        buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN).put(buffer.flip());
      }
    }

    void put(byte b) {
      room(1);
      buffer.put(b);
    }

    void putInt(int i) {
      room(4);
      buffer.putInt(i);
    }

    void putLong(long l) {
      room(8);
      buffer.putLong(l);
    }

    void putFloat(float f) {
      room(4);
      buffer.putFloat(f);
    }

    void putString(String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      putLong(bytes.length);
      room(bytes.length);
      buffer.put(bytes);
    }

    void pad() {
      int padding = (int) (padded(buffer.position()) - buffer.position());
      room(padding);
      buffer.put(new byte[padding]);
    }

    ByteBuffer buffer() {
      return buffer.flip();
    }
  }
}
