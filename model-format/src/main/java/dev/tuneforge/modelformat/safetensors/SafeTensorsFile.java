package dev.tuneforge.modelformat.safetensors;

import java.util.Map;

/** The contents of one safetensors file: its {@code __metadata__} and its tensors by name. */
public record SafeTensorsFile(Map<String, String> metadata, Map<String, Tensor> tensors) {

  public SafeTensorsFile {
    metadata = Map.copyOf(metadata);
    tensors = Map.copyOf(tensors);
  }

  public Tensor tensor(String name) {
    Tensor tensor = tensors.get(name);
    if (tensor == null) {
      throw new SafeTensorsException("no tensor named " + name);
    }
    return tensor;
  }
}
