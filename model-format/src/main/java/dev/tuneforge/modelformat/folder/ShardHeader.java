package dev.tuneforge.modelformat.folder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The header of one safetensors file, checked as the safetensors library checks it when it loads
 * the file: supported dtypes, data_offsets that fit dtype and shape, tensors that follow each other
 * without gaps or overlaps, and data that ends exactly where the file does. Only the header is
 * read; a truncated upload shows in the file's size.
 */
final class ShardHeader {

  /** Bytes per element of the dtypes the trainer loads (BF16 and F16 are upcast to F32). */
  static final Map<String, Integer> DTYPES = Map.of("F32", 4, "BF16", 2, "F16", 2);

  private static final long MAX_HEADER = 100L * 1024 * 1024;
  private static final String METADATA = "__metadata__";

  private ShardHeader() {}

  static List<StoredTensor> read(FolderFiles files, String file) throws IOException {
    long size = files.size(file);
    if (size < 8) {
      throw new ModelRejectedException(file, "not a safetensors file (" + size + " bytes)");
    }
    long length = ByteBuffer.wrap(files.read(file, 0, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (length <= 0 || length > MAX_HEADER) {
      throw new ModelRejectedException(
          file, "not a safetensors file (header length " + length + ")");
    }
    if (8 + length > size) {
      throw new ModelRejectedException(
          file,
          "truncated: its header needs "
              + (8 + length)
              + " bytes, the file holds "
              + size
              + " (is the upload complete?)");
    }
    JsonNode header;
    try {
      header =
          FolderFiles.JSON.readTree(
              new String(files.read(file, 8, (int) length), StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      throw new ModelRejectedException(file, "its header is not JSON: " + e.getOriginalMessage());
    }
    if (!header.isObject()) {
      throw new ModelRejectedException(file, "its header is not a JSON object");
    }
    List<StoredTensor> tensors = new ArrayList<>();
    List<long[]> offsets = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : header.properties()) {
      if (!entry.getKey().equals(METADATA)) {
        StoredTensor tensor = tensor(file, entry.getKey(), entry.getValue());
        tensors.add(tensor);
        offsets.add(offsets(file, tensor, entry.getValue()));
      }
    }
    checkContiguous(file, tensors, offsets, size - 8 - length);
    return tensors;
  }

  private static StoredTensor tensor(String file, String name, JsonNode info) {
    String dtype = info.path("dtype").asString("");
    if (!DTYPES.containsKey(dtype)) {
      throw new ModelRejectedException(
          file,
          "tensor "
              + name
              + " has dtype "
              + (dtype.isEmpty() ? "(none)" : dtype)
              + "; supported are F32, BF16 and F16");
    }
    JsonNode shapeNode = info.path("shape");
    if (!shapeNode.isArray()) {
      throw new ModelRejectedException(file, "tensor " + name + " has no shape");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode dim = shapeNode.get(i);
      if (!dim.isIntegralNumber() || dim.asLong() < 0) {
        throw new ModelRejectedException(
            file, "tensor " + name + " has a shape that is not a list of sizes: " + shapeNode);
      }
      shape[i] = dim.asLong();
    }
    StoredTensor tensor = new StoredTensor(name, file, dtype, shape);
    try {
      Math.multiplyExact(tensor.count(), DTYPES.get(dtype));
    } catch (ArithmeticException e) {
      throw new ModelRejectedException(
          file, "tensor " + name + " has a shape too large for any file: " + shapeNode);
    }
    return tensor;
  }

  private static long[] offsets(String file, StoredTensor tensor, JsonNode info) {
    JsonNode node = info.path("data_offsets");
    long begin = node.path(0).asLong(-1);
    long end = node.path(1).asLong(-1);
    if (node.size() != 2 || begin < 0 || end < begin) {
      throw new ModelRejectedException(
          file, "tensor " + tensor.name() + " has invalid data_offsets " + node);
    }
    long needed = Math.multiplyExact(tensor.count(), DTYPES.get(tensor.dtype()));
    if (end - begin != needed) {
      throw new ModelRejectedException(
          file,
          "tensor "
              + tensor.name()
              + " has data_offsets ["
              + begin
              + ", "
              + end
              + "] holding "
              + (end - begin)
              + " bytes, but "
              + tensor.dtype()
              + " "
              + tensor.shapeText()
              + " needs "
              + needed);
    }
    return new long[] {begin, end};
  }

  private static void checkContiguous(
      String file, List<StoredTensor> tensors, List<long[]> offsets, long dataBytes) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < tensors.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingLong((Integer i) -> offsets.get(i)[0]));
    long next = 0;
    for (int i : order) {
      if (offsets.get(i)[0] != next) {
        throw new ModelRejectedException(
            file,
            "tensor "
                + tensors.get(i).name()
                + " begins at byte "
                + offsets.get(i)[0]
                + " of the data, expected "
                + next
                + ": tensors must follow each other without gaps or overlaps");
      }
      next = offsets.get(i)[1];
    }
    if (dataBytes < next) {
      throw new ModelRejectedException(
          file,
          "truncated: its tensors need "
              + next
              + " bytes after the header, the file holds "
              + dataBytes
              + " (is the upload complete?)");
    }
    if (dataBytes > next) {
      throw new ModelRejectedException(
          file, (dataBytes - next) + " bytes after the last tensor that no tensor claims");
    }
  }
}
