package dev.tuneforge.trainingnode.model;

import dev.tuneforge.modelformat.UnsupportedModelException;
import dev.tuneforge.modelformat.folder.ModelRejectedException;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** The base weights of a Hugging Face directory, single-file or sharded, all as fp32. */
final class HfWeights {

  private final Map<String, Tensor> tensors;

  private HfWeights(Map<String, Tensor> tensors) {
    this.tensors = tensors;
  }

  /**
   * Reads the files that model-format's inspection names as the weights ({@link
   * SafeTensors#readFolder}); a folder it would refuse for want of them is refused with its reason.
   */
  static HfWeights read(Path directory) throws IOException {
    try {
      return new HfWeights(SafeTensors.readFolder(directory));
    } catch (ModelRejectedException e) {
      throw new UnsupportedModelException(e.getMessage());
    }
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
