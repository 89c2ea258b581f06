package dev.tuneforge.modelformat.folder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The weights of a folder: {@code model.safetensors}, or the shards that {@code
 * model.safetensors.index.json} lists, each tensor exactly where the index puts it and no
 * safetensors file beside them.
 *
 * @param tensors every stored tensor by name
 * @param source the file that declares the set of tensors: the index, or the single file
 * @param bytes the size of all weight files together
 */
record Checkpoint(Map<String, StoredTensor> tensors, String source, long bytes) {

  static final String SINGLE = "model.safetensors";
  static final String INDEX = "model.safetensors.index.json";

  static Checkpoint read(FolderFiles files) throws IOException {
    TreeSet<String> weightFiles = new TreeSet<>();
    for (String name : files.sizes().keySet()) {
      if (name.endsWith(".safetensors") && !name.contains("/")) {
        weightFiles.add(name);
      }
    }
    if (files.has(INDEX)) {
      return sharded(files, weightFiles);
    }
    weightFiles(files);
    for (String other : weightFiles) {
      if (!other.equals(SINGLE)) {
        throw new ModelRejectedException(
            other, "a second safetensors file beside " + SINGLE + ", and no " + INDEX);
      }
    }
    Map<String, StoredTensor> tensors = new TreeMap<>();
    for (StoredTensor tensor : ShardHeader.read(files, SINGLE)) {
      tensors.put(tensor.name(), tensor);
    }
    return new Checkpoint(tensors, SINGLE, files.size(SINGLE));
  }

  /**
   * The files that hold the weights: the shards the index lists, else {@code model.safetensors};
   * only the index is read.
   */
  static List<String> weightFiles(FolderFiles files) throws IOException {
    if (files.has(INDEX)) {
      return List.copyOf(shards(files, weightMap(files)));
    }
    if (!files.has(SINGLE)) {
      throw new ModelRejectedException(
          SINGLE, "missing, and there is no " + INDEX + " naming shards instead");
    }
    return List.of(SINGLE);
  }

  private static TreeSet<String> shards(FolderFiles files, Map<String, String> weightMap) {
    TreeSet<String> shards = new TreeSet<>(weightMap.values());
    for (String shard : shards) {
      if (!files.has(shard)) {
        throw new ModelRejectedException(shard, "named in " + INDEX + " but missing");
      }
    }
    return shards;
  }

  private static Checkpoint sharded(FolderFiles files, TreeSet<String> weightFiles)
      throws IOException {
    Map<String, String> weightMap = weightMap(files);
    TreeSet<String> shards = shards(files, weightMap);
    for (String file : weightFiles) {
      if (!shards.contains(file)) {
        throw new ModelRejectedException(
            file, "a safetensors file that " + INDEX + " does not list");
      }
    }
    Map<String, StoredTensor> tensors = new TreeMap<>();
    long bytes = 0;
    for (String shard : shards) {
      bytes += files.size(shard);
      for (StoredTensor tensor : ShardHeader.read(files, shard)) {
        String indexed = weightMap.get(tensor.name());
        if (indexed == null) {
          throw new ModelRejectedException(
              shard, "holds " + tensor.name() + ", which " + INDEX + " does not list");
        }
        if (!indexed.equals(shard)) {
          throw new ModelRejectedException(
              shard, "holds " + tensor.name() + ", which " + INDEX + " puts in " + indexed);
        }
        tensors.put(tensor.name(), tensor);
      }
    }
    for (Map.Entry<String, String> entry : weightMap.entrySet()) {
      if (!tensors.containsKey(entry.getKey())) {
        throw new ModelRejectedException(
            entry.getValue(), "lacks " + entry.getKey() + ", which " + INDEX + " puts there");
      }
    }
    return new Checkpoint(tensors, INDEX, bytes);
  }

  private static Map<String, String> weightMap(FolderFiles files) throws IOException {
    JsonNode node = files.json(INDEX).path("weight_map");
    if (!node.isObject() || node.isEmpty()) {
      throw new ModelRejectedException(INDEX, "has no weight_map naming the shards");
    }
    Map<String, String> weightMap = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String shard = entry.getValue().asString("");
      if (FolderFiles.nameProblem(shard) != null
          || shard.contains("/")
          || !shard.endsWith(".safetensors")) {
        throw new ModelRejectedException(
            INDEX,
            "its weight_map puts "
                + entry.getKey()
                + " in \""
                + shard
                + "\", which is not a safetensors file beside it");
      }
      weightMap.put(entry.getKey(), shard);
    }
    return weightMap;
  }

  List<String> dtypes() {
    return new ArrayList<>(
        new TreeSet<>(tensors.values().stream().map(StoredTensor::dtype).toList()));
  }
}
