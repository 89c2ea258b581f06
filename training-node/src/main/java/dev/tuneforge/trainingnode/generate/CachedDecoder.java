package dev.tuneforge.trainingnode.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.trainingnode.model.AttentionOps;
import dev.tuneforge.trainingnode.model.DecoderOps;
import dev.tuneforge.trainingnode.model.InferenceWeights;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.StepScalars;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model's forward pass over a batch's new tokens only, attending to the keys and values of
 * earlier tokens in a {@link KvCache}: the same arithmetic as {@link LlamaModel}'s forward pass
 * ({@link DecoderOps}, LoRA as PEFT adds it), with per-row positions and masks (sliding windows
 * included) so that left-padded rows decode as if alone.
 */
final class CachedDecoder {

  /** Finite, as the model's own mask, so rows of padding queries stay finite. */
  private static final float HIDDEN = -1e9f;

  private final ModelConfig config;
  private final InferenceWeights weights;
  private final boolean withAdapter;

  CachedDecoder(LlamaModel model, boolean withAdapter) {
    this.config = model.config();
    this.weights = model.inferenceWeights();
    this.withAdapter = withAdapter;
  }

  int layers() {
    return weights.layers().size();
  }

  /**
   * Runs {@code tokens} ({@code [batch][count]}, {@code real} false for left padding) through the
   * model after the cached ones, appends their keys and values to the cache and returns the logits
   * of each row's last new token, {@code [batch][vocab]}.
   */
  float[][] forward(NDManager step, long[][] tokens, boolean[][] real, KvCache cache) {
    int batchSize = tokens.length;
    int count = tokens[0].length;
    StepScalars scalars = new StepScalars(step);
    DecoderOps ops = new DecoderOps(config, scalars);
    int cachedBefore = cache.length();
    int[][] positions = cache.admit(real, count);
    long[] flat = new long[batchSize * count];
    for (int b = 0; b < batchSize; b++) {
      System.arraycopy(tokens[b], 0, flat, b * count, count);
    }
    NDArray hidden = ops.embed(step.create(flat, new Shape(batchSize, count)), weights.embedding());
    Map<Integer, NDArray> masks = new TreeMap<>();
    Map<String, NDArray[]> rotaries = new TreeMap<>();
    for (int i = 0; i < weights.layers().size(); i++) {
      InferenceWeights.Layer layer = weights.layers().get(i);
      int index = i;
      NDArray mask =
          masks.computeIfAbsent(
              config.window(i), window -> mask(step, cache, cachedBefore, count, window));
      double[] frequencies = config.inverseFrequencies(i);
      NDArray[] rotary =
          rotaries.computeIfAbsent(
              config.layerTypes().get(i),
              type -> AttentionOps.rotaryTables(step, positions, frequencies, config.headDim()));
      hidden =
          ops.layer(
              hidden,
              layer.norms(),
              (name, x) -> project(layer, name, x, scalars),
              rotary,
              mask,
              (keys, values) -> cache.append(index, keys, values));
    }
    NDArray last = hidden.get(new NDIndex(":, -1:, :"));
    float[] logits = ops.logits(last, weights.finalNorm(), weights.lmHead()).toFloatArray();
    int vocab = logits.length / batchSize;
    float[][] rows = new float[batchSize][];
    for (int b = 0; b < batchSize; b++) {
      rows[b] = Arrays.copyOfRange(logits, b * vocab, (b + 1) * vocab);
    }
    return rows;
  }

  private NDArray project(
      InferenceWeights.Layer layer, String name, NDArray x, StepScalars scalars) {
    InferenceWeights.Projection p = layer.projections().get(name);
    NDArray bias = p.bias();
    NDArray out =
        (bias == null ? Linear.linear(x, p.weight()) : Linear.linear(x, p.weight(), bias))
            .singletonOrThrow();
    NDArray a = p.loraA();
    NDArray b = p.loraB();
    if (!withAdapter || a == null || b == null) {
      return out;
    }
    NDArray delta = Linear.linear(Linear.linear(x, a).singletonOrThrow(), b).singletonOrThrow();
    return out.add(delta.mul(scalars.of(p.scale())));
  }

  /**
   * {@code [batch, 1, new, cached + new]}: a new token sees real tokens up to itself, within the
   * last {@code window} of them when that is above 0. Left padding precedes every real token, so
   * the distance in cache slots is the distance in tokens.
   */
  private static NDArray mask(
      NDManager step, KvCache cache, int cachedBefore, int count, int window) {
    int total = cache.length();
    int batchSize = cache.batchSize();
    float[] mask = new float[batchSize * count * total];
    for (int b = 0; b < batchSize; b++) {
      for (int i = 0; i < count; i++) {
        for (int j = 0; j < total; j++) {
          int query = cachedBefore + i;
          boolean visible = j <= query && (window == 0 || query - j < window) && cache.isReal(b, j);
          mask[(b * count + i) * total + j] = visible ? 0f : HIDDEN;
        }
      }
    }
    return step.create(mask, new Shape(batchSize, 1, count, total));
  }
}
