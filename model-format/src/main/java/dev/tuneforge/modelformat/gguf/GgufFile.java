package dev.tuneforge.modelformat.gguf;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file read back from the specification (version 3): its key-values (arrays as lists) and
 * its tensor infos, with the values of any tensor on demand. Reads only the types {@link GgufType}
 * knows; refuses anything else naming the file and what it found.
 *
 * @param metadata every key-value in file order: strings, Long for integers, Double for floats,
 *     Boolean, and List for arrays
 * @param tensors the tensor infos in file order
 * @param dataStart where the tensor data begins
 */
public record GgufFile(
    Path file, Map<String, Object> metadata, List<TensorInfo> tensors, long dataStart) {

  /**
   * One tensor's info.
   *
   * @param dims innermost first, as ggml counts them (the reverse of PyTorch's shape)
   * @param offset from {@link #dataStart()}
   */
  public record TensorInfo(String name, long[] dims, GgufType type, long offset) {
    public long count() {
      long count = 1;
      for (long dim : dims) {
        count *= dim;
      }
      return count;
    }
  }

  private static final long MAX_STRING = 1L << 30;

  public static GgufFile read(Path file) throws IOException {
    try (InputStream stream = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      In in = new In(new DataInputStream(stream));
      if (in.i32() != GgufWriter.MAGIC) {
        throw new IOException(file + " is not a GGUF file (no GGUF magic)");
      }
      int version = in.i32();
      if (version != GgufWriter.VERSION) {
        throw new IOException(file + " is GGUF version " + version + "; this reader reads 3");
      }
      long tensorCount = in.i64();
      long keyCount = in.i64();
      Map<String, Object> metadata = new LinkedHashMap<>();
      for (long i = 0; i < keyCount; i++) {
        String key = in.string();
        metadata.put(key, in.value(in.i32(), file, key));
      }
      List<TensorInfo> tensors = new ArrayList<>();
      for (long i = 0; i < tensorCount; i++) {
        String name = in.string();
        long[] dims = new long[in.i32()];
        for (int d = 0; d < dims.length; d++) {
          dims[d] = in.i64();
        }
        tensors.add(new TensorInfo(name, dims, GgufType.of(in.i32()), in.i64()));
      }
      long alignment = ((Number) metadata.getOrDefault("general.alignment", 32L)).longValue();
      long dataStart = (in.position + alignment - 1) / alignment * alignment;
      return new GgufFile(file, metadata, List.copyOf(tensors), dataStart);
    }
  }

  /** The tensor of that name. */
  public TensorInfo tensor(String name) {
    return tensors.stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(file + " has no tensor " + name));
  }

  /** A tensor's values, dequantised to fp32, in row-major order. */
  public float[] values(String name) throws IOException {
    TensorInfo tensor = tensor(name);
    int count = Math.toIntExact(tensor.count());
    ByteBuffer bytes =
        ByteBuffer.allocate(Math.toIntExact(tensor.type().bytes(count)))
            .order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long position = dataStart + tensor.offset();
      while (bytes.hasRemaining()) {
        if (channel.read(bytes, position + bytes.position()) < 0) {
          throw new EOFException(file + " ends inside tensor " + name);
        }
      }
    }
    return tensor.type().decode(bytes.flip(), count);
  }

  /** Little-endian reads that count their position. */
  private static final class In {
    private final DataInputStream in;
    private long position;

    In(DataInputStream in) {
      this.in = in;
    }

    int i32() throws IOException {
      position += 4;
      return Integer.reverseBytes(in.readInt());
    }

    long i64() throws IOException {
      position += 8;
      return Long.reverseBytes(in.readLong());
    }

    String string() throws IOException {
      long length = i64();
      if (length < 0 || length > MAX_STRING) {
        throw new IOException("a GGUF string of " + length + " bytes");
      }
      byte[] bytes = in.readNBytes((int) length);
      if (bytes.length != length) {
        throw new EOFException("the file ends inside a string");
      }
      position += length;
      return new String(bytes, StandardCharsets.UTF_8);
    }

    Object value(int type, Path file, String key) throws IOException {
      return switch (type) {
        case 0, 1 -> {
          position += 1;
          yield (long) (type == 0 ? in.readUnsignedByte() : in.readByte());
        }
        case 2, 3 -> {
          position += 2;
          short s = Short.reverseBytes(in.readShort());
          yield (long) (type == 2 ? Short.toUnsignedInt(s) : s);
        }
        case GgufWriter.UINT32 -> Integer.toUnsignedLong(i32());
        case GgufWriter.INT32 -> (long) i32();
        case GgufWriter.FLOAT32 -> (double) Float.intBitsToFloat(i32());
        case GgufWriter.BOOL -> {
          position += 1;
          yield in.readByte() != 0;
        }
        case GgufWriter.STRING -> string();
        case GgufWriter.ARRAY -> {
          int elementType = i32();
          long count = i64();
          List<Object> values = new ArrayList<>();
          for (long i = 0; i < count; i++) {
            values.add(value(elementType, file, key));
          }
          yield values;
        }
        case 10, 11 -> i64();
        case 12 -> Double.longBitsToDouble(i64());
        default -> throw new IOException(file + ": key " + key + " has unknown value type " + type);
      };
    }
  }
}
