package dev.tuneforge.modelformat.safetensors;

import dev.tuneforge.modelformat.folder.ModelFolder;
import dev.tuneforge.modelformat.folder.ModelInspector;
import dev.tuneforge.modelformat.folder.ModelRejectedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Safetensors files: an 8-byte little-endian header length, a JSON header and raw little-endian
 * data. Writing is deterministic (tensors sorted by name, header padded with spaces to 8 bytes) so
 * that equal adapters give equal bytes.
 */
public final class SafeTensors {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String METADATA = "__metadata__";
  private static final long MAX_HEADER = 100L * 1024 * 1024;
  private static final int CHUNK = 1 << 20;

  private SafeTensors() {}

  public static SafeTensorsFile read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
        throw new SafeTensorsException(
            file + " is not a safetensors file (header length " + headerLength + ")");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, 8);
      JsonNode header;
      try {
        header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
      } catch (JacksonException e) {
        throw new SafeTensorsException(
            file + " has a header that is not JSON: " + e.getOriginalMessage());
      }
      long dataStart = 8 + headerLength;
      Map<String, String> metadata = new LinkedHashMap<>();
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> entry : header.properties()) {
        if (entry.getKey().equals(METADATA)) {
          entry
              .getValue()
              .properties()
              .forEach(m -> metadata.put(m.getKey(), m.getValue().asString()));
        } else {
          tensors.put(
              entry.getKey(),
              readTensor(channel, entry.getKey(), entry.getValue(), dataStart, size));
        }
      }
      return new SafeTensorsFile(metadata, tensors);
    }
  }

  /**
   * Every weight of a Hugging Face folder, read from the files model-format's inspection names as
   * its weights ({@link ModelInspector#weightFiles}): the shards {@code
   * model.safetensors.index.json} lists, else {@code model.safetensors}; any other safetensors file
   * beside them (a {@code consolidated.safetensors}, an optimizer's state) is not read.
   *
   * @throws ModelRejectedException naming the file and the reason when the folder has no weights
   *     inspection would accept (no index and no {@code model.safetensors}, a shard missing or
   *     outside the folder)
   */
  public static Map<String, Tensor> readFolder(Path directory) throws IOException {
    Map<String, Tensor> weights = new HashMap<>();
    for (String file : ModelInspector.weightFiles(ModelFolder.of(directory))) {
      weights.putAll(read(directory.resolve(file)).tensors());
    }
    return weights;
  }

  /** Reads only the names and shapes, for checks that must not load gigabytes. */
  public static Map<String, long[]> shapes(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength <= 0 || headerLength > MAX_HEADER) {
        throw new SafeTensorsException(file + " is not a safetensors file");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, 8);
      JsonNode header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
      Map<String, long[]> shapes = new TreeMap<>();
      for (Map.Entry<String, JsonNode> entry : header.properties()) {
        if (!entry.getKey().equals(METADATA)) {
          shapes.put(entry.getKey(), shape(entry.getValue()));
        }
      }
      return shapes;
    }
  }

  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    write(file, tensors, metadata, DataType.F32);
  }

  public static void write(
      Path file, Map<String, Tensor> tensors, Map<String, String> metadata, DataType dtype)
      throws IOException {
    Map<String, Tensor> sorted = new TreeMap<>(tensors);
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject(METADATA);
      new TreeMap<>(metadata).forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> entry : sorted.entrySet()) {
      long length = entry.getValue().size() * dtype.bytes();
      ObjectNode info = header.putObject(entry.getKey());
      info.put("dtype", dtype.name());
      ArrayNode shape = info.putArray("shape");
      for (long dim : entry.getValue().shape()) {
        shape.add(dim);
      }
      info.putArray("data_offsets").add(offset).add(offset + length);
      offset += length;
    }
    byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(channel, head.flip());
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
      for (Tensor tensor : sorted.values()) {
        for (float value : tensor.values()) {
          if (buffer.remaining() < 4) {
            writeFully(channel, buffer.flip());
            buffer.clear();
          }
          if (dtype == DataType.BF16) {
            buffer.putShort(DataType.floatToBf16(value));
          } else if (dtype == DataType.F16) {
            // round to nearest even, as PyTorch's cast to float16
            buffer.putShort(Float.floatToFloat16(value));
          } else {
            buffer.putFloat(value);
          }
        }
      }
      writeFully(channel, buffer.flip());
    }
  }

  private static Tensor readTensor(
      FileChannel channel, String name, JsonNode info, long dataStart, long fileSize)
      throws IOException {
    DataType dtype = DataType.parse(info.path("dtype").asString(""), name);
    long[] shape = shape(info);
    JsonNode offsets = info.path("data_offsets");
    long begin = offsets.path(0).asLong(-1);
    long end = offsets.path(1).asLong(-1);
    long count = 1;
    for (long dim : shape) {
      count *= dim;
    }
    if (begin < 0
        || end < begin
        || dataStart + end > fileSize
        || end - begin != count * dtype.bytes()) {
      throw new SafeTensorsException(
          "tensor " + name + " has inconsistent data_offsets [" + begin + ", " + end + "]");
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new SafeTensorsException("tensor " + name + " is too large to load into one array");
    }
    float[] values = new float[(int) count];
    ByteBuffer data =
        channel
            .map(FileChannel.MapMode.READ_ONLY, dataStart + begin, end - begin)
            .order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case F32 -> data.asFloatBuffer().get(values);
      case F16 -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = Float.float16ToFloat(data.getShort());
        }
      }
      case BF16 -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = DataType.bf16ToFloat(data.getShort());
        }
      }
    }
    return new Tensor(shape, values);
  }

  private static long[] shape(JsonNode info) {
    JsonNode node = info.path("shape");
    long[] shape = new long[node.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = node.get(i).asLong();
    }
    return shape;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new SafeTensorsException("file ends early");
      }
      at += read;
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
