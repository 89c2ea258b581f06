package dev.tuneforge.trainingnode.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.trainingnode.generate.AdapterConfig;
import dev.tuneforge.trainingnode.generate.UnsupportedAdapterException;
import dev.tuneforge.trainingnode.model.InferenceWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A PEFT adapter's matrices as arrays beside a loaded base model: per layer, per projection, A
 * {@code [r, in]} and B {@code [out, r]}, checked against the base's shapes. Owns its arrays.
 */
final class LoadedAdapter implements AutoCloseable {

  private static final Pattern NAME =
      Pattern.compile(
          "model\\.layers\\.(\\d+)\\.(?:self_attn|mlp)\\.(\\w+)\\.lora_([AB])\\.weight");

  /** One projection's low-rank pair. */
  record Pair(NDArray a, NDArray b) {}

  private final String key;
  private final NDManager manager;
  private final List<Map<String, Pair>> layers;
  private final double scale;

  private LoadedAdapter(
      String key, NDManager manager, List<Map<String, Pair>> layers, double scale) {
    this.key = key;
    this.manager = manager;
    this.layers = layers;
    this.scale = scale;
  }

  /**
   * Reads the adapter of {@code directory} into arrays of a sub-manager of {@code parent}.
   *
   * @throws UnsupportedAdapterException when it is no plain LoRA or does not fit the base's shapes
   */
  static LoadedAdapter load(String key, Path directory, InferenceWeights base, NDManager parent)
      throws IOException {
    AdapterConfig config = AdapterConfig.read(directory);
    Map<String, Tensor> weights = config.readWeights(directory, base.layers().size());
    NDManager manager = parent.newSubManager();
    try {
      List<Map<String, NDArray[]>> halves = new ArrayList<>();
      for (int i = 0; i < base.layers().size(); i++) {
        halves.add(new HashMap<>());
      }
      for (Map.Entry<String, Tensor> entry : weights.entrySet()) {
        Matcher name = NAME.matcher(entry.getKey());
        if (!name.matches()) {
          throw new UnsupportedAdapterException("unexpected adapter tensor " + entry.getKey());
        }
        int layer = Integer.parseInt(name.group(1));
        InferenceWeights.Projection projection =
            base.layers().get(layer).projections().get(name.group(2));
        Tensor tensor = entry.getValue();
        boolean isA = name.group(3).equals("A");
        long[] weight = projection.weight().getShape().getShape();
        long expected = isA ? weight[1] : weight[0];
        if (tensor.shape()[isA ? 1 : 0] != expected) {
          throw new UnsupportedAdapterException(
              entry.getKey()
                  + " has shape "
                  + Arrays.toString(tensor.shape())
                  + ", which does not fit the base's "
                  + name.group(2)
                  + " of shape "
                  + Arrays.toString(weight));
        }
        NDArray array = manager.create(tensor.values(), new Shape(tensor.shape()));
        halves.get(layer).computeIfAbsent(name.group(2), n -> new NDArray[2])[isA ? 0 : 1] = array;
      }
      List<Map<String, Pair>> layers = new ArrayList<>();
      for (Map<String, NDArray[]> layer : halves) {
        Map<String, Pair> pairs = new HashMap<>();
        layer.forEach((projection, ab) -> pairs.put(projection, new Pair(ab[0], ab[1])));
        layers.add(Map.copyOf(pairs));
      }
      return new LoadedAdapter(key, manager, List.copyOf(layers), config.scale());
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  String key() {
    return key;
  }

  double scale() {
    return scale;
  }

  /** The pair of {@code projection} in {@code layer}, or null when the adapter leaves it alone. */
  @Nullable Pair pair(int layer, String projection) {
    return layers.get(layer).get(projection);
  }

  @Override
  public void close() {
    manager.close();
  }
}
