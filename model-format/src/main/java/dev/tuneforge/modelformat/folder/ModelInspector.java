package dev.tuneforge.modelformat.folder;

import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.UnsupportedModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a model folder before anything is registered and describes it: the architecture must be
 * supported, the weights must be safetensors (one file, or shards listed by {@code
 * model.safetensors.index.json}), and {@code tokenizer.json} must be there. Parameters are counted
 * from the safetensors headers.
 */
public final class ModelInspector {

  static final String CONFIG = "config.json";
  static final String TOKENIZER = "tokenizer.json";
  static final String SINGLE = "model.safetensors";
  static final String INDEX = "model.safetensors.index.json";
  private static final int MAX_JSON = 64 * 1024 * 1024;
  private static final long MAX_HEADER = 100L * 1024 * 1024;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ModelInspector() {}

  /**
   * The folder's description.
   *
   * @throws ModelRejectedException naming the file and the reason when the folder cannot be
   *     imported
   */
  public static ModelDescription inspect(ModelFolder folder) throws IOException {
    Map<String, Long> files = folder.files();
    ModelConfig config;
    try {
      config = ModelConfig.parse(text(folder, files, CONFIG));
    } catch (UnsupportedModelException e) {
      throw new ModelRejectedException(CONFIG, e.getMessage());
    }
    if (!files.containsKey(TOKENIZER)) {
      throw new ModelRejectedException(TOKENIZER, "missing; the model needs its tokenizer");
    }
    List<String> shards = weightFiles(folder, files);
    long parameters = 0;
    long bytes = 0;
    TreeSet<String> dtypes = new TreeSet<>();
    for (String shard : shards) {
      bytes += files.get(shard);
      for (Map.Entry<String, JsonNode> tensor :
          header(folder, shard, files.get(shard)).properties()) {
        if (tensor.getKey().equals("__metadata__")) {
          continue;
        }
        dtypes.add(tensor.getValue().path("dtype").asString(""));
        long count = 1;
        for (JsonNode dim : tensor.getValue().path("shape")) {
          count *= dim.asLong();
        }
        parameters += count;
      }
    }
    return new ModelDescription(
        config.architectures().getFirst(),
        config,
        parameters,
        new ArrayList<>(dtypes),
        bytes,
        config.maxPositionEmbeddings(),
        null,
        null,
        List.of(),
        null,
        files);
  }

  private static List<String> weightFiles(ModelFolder folder, Map<String, Long> files)
      throws IOException {
    if (files.containsKey(SINGLE)) {
      return List.of(SINGLE);
    }
    if (!files.containsKey(INDEX)) {
      throw new ModelRejectedException(
          SINGLE, "missing, and there is no " + INDEX + " naming shards instead");
    }
    TreeSet<String> shards = new TreeSet<>();
    json(folder, files, INDEX)
        .path("weight_map")
        .properties()
        .forEach(e -> shards.add(e.getValue().asString()));
    if (shards.isEmpty()) {
      throw new ModelRejectedException(INDEX, "its weight_map names no shard");
    }
    for (String shard : shards) {
      if (!files.containsKey(shard)) {
        throw new ModelRejectedException(shard, "named in " + INDEX + " but missing");
      }
    }
    return List.copyOf(shards);
  }

  private static JsonNode header(ModelFolder folder, String name, long size) throws IOException {
    if (size < 8) {
      throw new ModelRejectedException(name, "not a safetensors file (" + size + " bytes)");
    }
    long length = ByteBuffer.wrap(folder.read(name, 0, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (length <= 0 || length > MAX_HEADER || 8 + length > size) {
      throw new ModelRejectedException(
          name, "not a safetensors file (header length " + length + ")");
    }
    try {
      return JSON.readTree(new String(folder.read(name, 8, (int) length), StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      throw new ModelRejectedException(name, "its header is not JSON: " + e.getOriginalMessage());
    }
  }

  static JsonNode json(ModelFolder folder, Map<String, Long> files, String name)
      throws IOException {
    try {
      return JSON.readTree(text(folder, files, name));
    } catch (JacksonException e) {
      throw new ModelRejectedException(name, "not valid JSON: " + e.getOriginalMessage());
    }
  }

  static String text(ModelFolder folder, Map<String, Long> files, String name) throws IOException {
    @Nullable Long size = files.get(name);
    if (size == null) {
      throw new ModelRejectedException(name, "missing");
    }
    if (size > MAX_JSON) {
      throw new ModelRejectedException(name, "larger than " + MAX_JSON / (1024 * 1024) + " MB");
    }
    return new String(folder.read(name, 0, size.intValue()), StandardCharsets.UTF_8);
  }
}
