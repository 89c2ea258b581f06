package dev.tuneforge.trainingnode.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.trainingnode.model.AttentionOps;
import dev.tuneforge.trainingnode.model.DecoderOps;
import dev.tuneforge.trainingnode.model.InferenceWeights;
import dev.tuneforge.trainingnode.model.StepScalars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One forward pass over a batch of sequences that each have their own KV cache, length and adapter:
 * the base model's projections run once for the whole batch, and each row adds the low-rank delta
 * of its own adapter (rows of one adapter computed together, as S-LoRA gathers them). Attention
 * reads each row's cache, left-padded to the longest and masked, so every row decodes as if alone.
 */
final class BatchDecoder {

  /** Finite, as the model's own mask. */
  private static final float HIDDEN = -1e9f;

  private final ModelConfig config;
  private final InferenceWeights weights;

  BatchDecoder(ModelConfig config, InferenceWeights weights) {
    this.config = config;
    this.weights = weights;
  }

  InferenceWeights weights() {
    return weights;
  }

  /**
   * Runs {@code tokens} ({@code [batch][count]}, the same count for every row) after each row's
   * cached tokens, appends their keys and values to the rows' caches and returns each row's logits
   * after its last new token, {@code [batch][vocab]}.
   */
  float[][] forward(NDManager step, List<Sequence> rows, long[][] tokens) {
    int batchSize = rows.size();
    int count = tokens[0].length;
    StepScalars scalars = new StepScalars(step);
    DecoderOps ops = new DecoderOps(config, scalars);
    int[] before = rows.stream().mapToInt(Sequence::cached).toArray();
    int[][] positions = new int[batchSize][count];
    long[] flat = new long[batchSize * count];
    for (int b = 0; b < batchSize; b++) {
      for (int t = 0; t < count; t++) {
        positions[b][t] = before[b] + t;
      }
      System.arraycopy(tokens[b], 0, flat, b * count, count);
    }
    int longest = Arrays.stream(before).max().orElseThrow() + count;
    NDArray hidden = ops.embed(step.create(flat, new Shape(batchSize, count)), weights.embedding());
    Map<Integer, NDArray> masks = new TreeMap<>();
    Map<String, NDArray[]> rotaries = new TreeMap<>();
    for (int i = 0; i < weights.layers().size(); i++) {
      InferenceWeights.Layer layer = weights.layers().get(i);
      int index = i;
      NDArray mask =
          masks.computeIfAbsent(
              config.window(i), window -> mask(step, before, count, longest, window));
      double[] frequencies = config.inverseFrequencies(i);
      NDArray[] rotary =
          rotaries.computeIfAbsent(
              config.layerTypes().get(i),
              type -> AttentionOps.rotaryTables(step, positions, frequencies, config.headDim()));
      hidden =
          ops.layer(
              hidden,
              layer.norms(),
              (name, x) -> project(step, index, name, x, rows, scalars),
              rotary,
              mask,
              (keys, values) -> attend(step, index, rows, keys, values, longest));
    }
    rows.forEach(row -> row.advance(count));
    NDArray last = hidden.get(new NDIndex(":, -1:, :"));
    float[] logits = ops.logits(last, weights.finalNorm(), weights.lmHead()).toFloatArray();
    int vocab = logits.length / batchSize;
    float[][] result = new float[batchSize][];
    for (int b = 0; b < batchSize; b++) {
      result[b] = Arrays.copyOfRange(logits, b * vocab, (b + 1) * vocab);
    }
    return result;
  }

  private NDArray project(
      NDManager step, int layer, String name, NDArray x, List<Sequence> rows, StepScalars scalars) {
    InferenceWeights.Projection p = weights.layers().get(layer).projections().get(name);
    NDArray bias = p.bias();
    NDArray out =
        (bias == null ? Linear.linear(x, p.weight()) : Linear.linear(x, p.weight(), bias))
            .singletonOrThrow();
    Map<LoadedAdapter, List<Integer>> groups = new IdentityHashMap<>();
    for (int b = 0; b < rows.size(); b++) {
      LoadedAdapter adapter = rows.get(b).adapter();
      if (adapter != null && adapter.pair(layer, name) != null) {
        groups.computeIfAbsent(adapter, a -> new ArrayList<>()).add(b);
      }
    }
    if (groups.isEmpty()) {
      return out;
    }
    if (groups.size() == 1 && groups.values().iterator().next().size() == rows.size()) {
      return out.add(delta(groups.keySet().iterator().next(), layer, name, x, scalars));
    }
    NDList xs = x.split(rows.size(), 0);
    NDArray[] deltas = new NDArray[rows.size()];
    groups.forEach(
        (adapter, members) -> {
          NDList gathered = new NDList();
          members.forEach(b -> gathered.add(xs.get(b)));
          NDArray groupDelta =
              delta(
                  adapter,
                  layer,
                  name,
                  members.size() == 1 ? gathered.getFirst() : NDArrays.concat(gathered, 0),
                  scalars);
          NDList split = groupDelta.split(members.size(), 0);
          for (int m = 0; m < members.size(); m++) {
            deltas[members.get(m)] = split.get(m);
          }
        });
    Shape rowShape = new Shape(1, x.getShape().get(1), out.getShape().get(2));
    NDArray none = null;
    for (int b = 0; b < deltas.length; b++) {
      if (deltas[b] == null) {
        none = none == null ? step.zeros(rowShape) : none;
        deltas[b] = none;
      }
    }
    return out.add(NDArrays.concat(new NDList(deltas), 0));
  }

  private static NDArray delta(
      LoadedAdapter adapter, int layer, String name, NDArray x, StepScalars scalars) {
    LoadedAdapter.Pair pair = adapter.pair(layer, name);
    NDArray down = Linear.linear(x, pair.a()).singletonOrThrow();
    return Linear.linear(down, pair.b()).singletonOrThrow().mul(scalars.of(adapter.scale()));
  }

  /**
   * Appends each row's new keys and values to its cache and returns all of them, each row
   * left-padded with zeros to {@code longest}.
   */
  private static NDArray[] attend(
      NDManager step, int layer, List<Sequence> rows, NDArray keys, NDArray values, int longest) {
    if (rows.size() == 1) {
      return rows.getFirst().append(layer, keys, values);
    }
    NDList newKeys = keys.split(rows.size(), 0);
    NDList newValues = values.split(rows.size(), 0);
    NDList allKeys = new NDList();
    NDList allValues = new NDList();
    for (int b = 0; b < rows.size(); b++) {
      NDArray[] whole = rows.get(b).append(layer, newKeys.get(b), newValues.get(b));
      long padding = longest - whole[0].getShape().get(2);
      if (padding > 0) {
        Shape shape = whole[0].getShape();
        NDArray zeros = step.zeros(new Shape(1, shape.get(1), padding, shape.get(3)));
        allKeys.add(NDArrays.concat(new NDList(zeros, whole[0]), 2));
        allValues.add(NDArrays.concat(new NDList(zeros, whole[1]), 2));
      } else {
        allKeys.add(whole[0]);
        allValues.add(whole[1]);
      }
    }
    return new NDArray[] {NDArrays.concat(allKeys, 0), NDArrays.concat(allValues, 0)};
  }

  /**
   * {@code [batch, 1, new, longest]}: a row's cache fills the last slots; a new token sees its
   * row's tokens up to itself, within the last {@code window} of them when that is above 0.
   */
  private static NDArray mask(NDManager step, int[] before, int count, int longest, int window) {
    int batchSize = before.length;
    float[] mask = new float[batchSize * count * longest];
    for (int b = 0; b < batchSize; b++) {
      int offset = longest - (before[b] + count);
      for (int i = 0; i < count; i++) {
        int query = before[b] + i;
        for (int j = 0; j < longest; j++) {
          int token = j - offset;
          boolean visible = token >= 0 && token <= query && (window == 0 || query - token < window);
          mask[(b * count + i) * longest + j] = visible ? 0f : HIDDEN;
        }
      }
    }
    return step.create(mask, new Shape(batchSize, 1, count, longest));
  }
}
