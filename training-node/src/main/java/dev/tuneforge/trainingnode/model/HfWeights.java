package dev.tuneforge.trainingnode.model;

import dev.tuneforge.modelformat.UnsupportedModelException;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The base weights of a Hugging Face directory, single-file or sharded, all as fp32. */
final class HfWeights {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, Tensor> tensors;

  private HfWeights(Map<String, Tensor> tensors) {
    this.tensors = tensors;
  }

  static HfWeights read(Path directory) throws IOException {
    Path single = directory.resolve("model.safetensors");
    if (Files.isRegularFile(single)) {
      return new HfWeights(new HashMap<>(SafeTensors.read(single).tensors()));
    }
    Path index = directory.resolve("model.safetensors.index.json");
    if (!Files.isRegularFile(index)) {
      throw new UnsupportedModelException(
          directory + " has neither model.safetensors nor model.safetensors.index.json");
    }
    JsonNode weightMap;
    try {
      weightMap = JSON.readTree(Files.readString(index)).path("weight_map");
    } catch (JacksonException e) {
      throw new UnsupportedModelException(
          "model.safetensors.index.json is not valid JSON: " + e.getOriginalMessage());
    }
    TreeSet<String> shards = new TreeSet<>();
    weightMap.properties().forEach(e -> shards.add(e.getValue().asString()));
    if (shards.isEmpty()) {
      throw new UnsupportedModelException("model.safetensors.index.json has no weight_map entries");
    }
    Map<String, Tensor> tensors = new HashMap<>();
    for (String shard : shards) {
      Path file = directory.resolve(shard).normalize();
      if (!file.startsWith(directory.normalize()) || !Files.isRegularFile(file)) {
        throw new UnsupportedModelException(
            "shard " + shard + " named in model.safetensors.index.json is missing");
      }
      tensors.putAll(SafeTensors.read(file).tensors());
    }
    return new HfWeights(tensors);
  }

  boolean has(String name) {
    return tensors.containsKey(name);
  }

  /** Hands the tensor over and forgets it, so that Java's copy can be collected early. */
  Tensor take(String name, long... shape) {
    Tensor tensor = tensors.remove(name);
    if (tensor == null) {
      throw new UnsupportedModelException("the model's weights lack " + name);
    }
    if (!Arrays.equals(tensor.shape(), shape)) {
      throw new UnsupportedModelException(
          name
              + " has shape "
              + Arrays.toString(tensor.shape())
              + " but config.json implies "
              + Arrays.toString(shape));
    }
    return tensor;
  }
}
