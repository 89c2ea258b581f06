package dev.tuneforge.trainingnode.generate;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.model.LlamaModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads a model for inference, with a PEFT adapter from a directory or with none. The adapter's
 * matrices collect no gradients: such a model is for generation and evaluation, not training.
 */
public final class PeftAdapter {

  private PeftAdapter() {}

  /**
   * The base model of {@code modelDirectory} with the adapter of {@code adapterDirectory} applied.
   */
  public static LlamaModel load(Path modelDirectory, Path adapterDirectory) throws IOException {
    AdapterConfig adapter = AdapterConfig.read(adapterDirectory);
    ModelConfig config = ModelConfig.read(modelDirectory.resolve("config.json"));
    Map<String, Tensor> weights = adapter.readWeights(adapterDirectory, config.numHiddenLayers());
    LlamaModel model = LlamaModel.load(modelDirectory, withoutDropout(adapter.lora()), 0);
    try {
      assign(model, weights);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return model;
  }

  /**
   * The base model alone. The model always carries LoRA matrices, so it gets the smallest: rank 1
   * on q_proj with B = 0, whose delta is exactly zero.
   */
  public static LlamaModel loadBase(Path modelDirectory) throws IOException {
    return LlamaModel.load(modelDirectory, new LoraSettings(1, 1, 0, List.of("q_proj")), 0);
  }

  private static LoraSettings withoutDropout(LoraSettings lora) {
    return new LoraSettings(lora.r(), lora.alpha(), 0, lora.targetModules(), lora.useRslora());
  }

  private static void assign(LlamaModel model, Map<String, Tensor> weights) {
    for (Map.Entry<String, NDArray> entry : model.loraParameters().entrySet()) {
      Tensor tensor = weights.get(entry.getKey());
      NDArray target = entry.getValue();
      if (tensor == null || !Arrays.equals(tensor.shape(), target.getShape().getShape())) {
        throw new UnsupportedAdapterException(
            entry.getKey() + " of the adapter does not fit the model's shape " + target.getShape());
      }
      // Inference only: no autograd graph on any thread, and in-place assignment is allowed.
      target.setRequiresGradient(false);
      target.set(tensor.values());
    }
  }
}
