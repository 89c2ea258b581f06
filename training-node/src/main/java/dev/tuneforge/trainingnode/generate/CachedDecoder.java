package dev.tuneforge.trainingnode.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.trainingnode.model.AttentionOps;
import dev.tuneforge.trainingnode.model.InferenceWeights;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.StepScalars;
import java.util.Arrays;

/**
 * The model's forward pass over a batch's new tokens only, attending to the keys and values of
 * earlier tokens in a {@link KvCache}: the same arithmetic as {@link LlamaModel}'s forward pass
 * (RMSNorm, rotary embeddings, grouped-query attention, SwiGLU, LoRA as PEFT adds it), with per-row
 * positions and masks so that left-padded rows decode as if alone.
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
    int heads = config.numAttentionHeads();
    int kvHeads = config.numKeyValueHeads();
    int headDim = config.headDim();
    StepScalars scalars = new StepScalars(step);
    int cachedBefore = cache.length();
    int[][] positions = cache.admit(real, count);
    long[] flat = new long[batchSize * count];
    for (int b = 0; b < batchSize; b++) {
      System.arraycopy(tokens[b], 0, flat, b * count, count);
    }
    NDArray ids = step.create(flat, new Shape(batchSize, count));
    NDArray hidden =
        Embedding.embedding(ids, weights.embedding(), SparseFormat.DENSE).singletonOrThrow();
    NDArray mask = mask(step, cache, cachedBefore, count);
    NDArray[] rotary = rotary(step, positions, headDim);
    NDArray attentionScale = scalars.of(1.0 / Math.sqrt(headDim));
    for (int i = 0; i < weights.layers().size(); i++) {
      InferenceWeights.Layer layer = weights.layers().get(i);
      NDArray x = rmsNorm(hidden, layer.inputNorm(), scalars);
      NDArray q =
          AttentionOps.heads(
              project(layer, "q_proj", x, scalars), batchSize, count, heads, headDim);
      NDArray k =
          AttentionOps.heads(
              project(layer, "k_proj", x, scalars), batchSize, count, kvHeads, headDim);
      NDArray v =
          AttentionOps.heads(
              project(layer, "v_proj", x, scalars), batchSize, count, kvHeads, headDim);
      NDArray[] cached = cache.append(i, AttentionOps.rotate(k, rotary), v);
      NDArray keys = AttentionOps.repeatKv(cached[0], heads / kvHeads);
      NDArray values = AttentionOps.repeatKv(cached[1], heads / kvHeads);
      NDArray scores =
          AttentionOps.rotate(q, rotary)
              .matMul(keys.transpose(0, 1, 3, 2))
              .mul(attentionScale)
              .add(mask);
      NDArray attended =
          scores
              .softmax(-1)
              .matMul(values)
              .transpose(0, 2, 1, 3)
              .reshape(batchSize, count, (long) heads * headDim);
      hidden = hidden.add(project(layer, "o_proj", attended, scalars));
      x = rmsNorm(hidden, layer.postAttentionNorm(), scalars);
      NDArray gate = project(layer, "gate_proj", x, scalars);
      NDArray up = project(layer, "up_proj", x, scalars);
      hidden =
          hidden.add(
              project(layer, "down_proj", gate.mul(Activation.sigmoid(gate)).mul(up), scalars));
    }
    NDArray last = hidden.get(new NDIndex(":, -1:, :"));
    float[] logits =
        Linear.linear(rmsNorm(last, weights.finalNorm(), scalars), weights.lmHead())
            .singletonOrThrow()
            .toFloatArray();
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

  private NDArray rmsNorm(NDArray x, NDArray weight, StepScalars scalars) {
    NDArray rms = x.mul(x).mean(new int[] {-1}, true).add(scalars.of(config.rmsNormEps())).sqrt();
    return x.div(rms).mul(weight);
  }

  /** {@code [batch, 1, new, cached + new]}: a new token sees real tokens up to itself. */
  private static NDArray mask(NDManager step, KvCache cache, int cachedBefore, int count) {
    int total = cache.length();
    int batchSize = cache.batchSize();
    float[] mask = new float[batchSize * count * total];
    for (int b = 0; b < batchSize; b++) {
      for (int i = 0; i < count; i++) {
        for (int j = 0; j < total; j++) {
          boolean visible = j <= cachedBefore + i && cache.isReal(b, j);
          mask[(b * count + i) * total + j] = visible ? 0f : HIDDEN;
        }
      }
    }
    return step.create(mask, new Shape(batchSize, 1, count, total));
  }

  /**
   * cos and sin {@code [batch, 1, new, headDim]} at each token's own position, halves duplicated as
   * HF does.
   */
  private NDArray[] rotary(NDManager step, int[][] positions, int headDim) {
    double[] inverseFrequencies = weights.inverseFrequencies();
    int batchSize = positions.length;
    int count = positions[0].length;
    int half = headDim / 2;
    float[] cos = new float[batchSize * count * headDim];
    float[] sin = new float[cos.length];
    for (int b = 0; b < batchSize; b++) {
      for (int t = 0; t < count; t++) {
        int at = (b * count + t) * headDim;
        for (int i = 0; i < half; i++) {
          // In float, as the model's own rotary tables compute the angle.
          float angle = positions[b][t] * (float) inverseFrequencies[i];
          cos[at + i] = cos[at + i + half] = (float) Math.cos(angle);
          sin[at + i] = sin[at + i + half] = (float) Math.sin(angle);
        }
      }
    }
    Shape shape = new Shape(batchSize, 1, count, headDim);
    return new NDArray[] {step.create(cos, shape), step.create(sin, shape)};
  }
}
