package dev.tuneforge.trainingnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import dev.tuneforge.modelformat.DecoderStyle;
import dev.tuneforge.modelformat.ModelConfig;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The arithmetic of the decoder that training ({@link LlamaModel}) and KV-cached decoding share,
 * for one step: embedding (Gemma scales it), RMSNorm (Gemma's {@code 1 + weight}), one decoder
 * layer (q/k norms, rotary, grouped-query attention with optional soft-capping, Gemma's norms
 * around attention and MLP, SwiGLU or GeGLU) and the output head. The callers differ only in how a
 * projection is computed, which keys and values attention sees and the mask.
 */
public final class DecoderOps {

  /** Computes projection {@code q_proj} … of the current layer on {@code x}. */
  @FunctionalInterface
  public interface Projector {
    NDArray project(String projection, NDArray x);
  }

  /**
   * Given the layer's new keys (after rotary) and values {@code [batch, kvHeads, new, headDim]},
   * returns the keys and values attention reads: the same, or a cache's whole history.
   */
  @FunctionalInterface
  public interface KeyValues {
    NDArray[] attend(NDArray keys, NDArray values);
  }

  /** Computes projection {@code projection} of layer {@code layer} on {@code x}. */
  @FunctionalInterface
  public interface LayerProjector {
    NDArray project(int layer, String projection, NDArray x);
  }

  /** As {@link KeyValues}, for layer {@code layer}. */
  @FunctionalInterface
  public interface LayerKeyValues {
    NDArray[] attend(int layer, NDArray keys, NDArray values);
  }

  private static final double GELU_CUBIC = 0.044715;

  private final ModelConfig config;
  private final DecoderStyle style;
  private final StepScalars scalars;

  public DecoderOps(ModelConfig config, StepScalars scalars) {
    this.config = config;
    this.style = config.style();
    this.scalars = scalars;
  }

  /**
   * Token embeddings {@code [batch, length, hidden]}, scaled where the architecture scales them.
   */
  public NDArray embed(NDArray ids, NDArray embedding) {
    NDArray hidden = Embedding.embedding(ids, embedding, SparseFormat.DENSE).singletonOrThrow();
    return style.embeddingScale() == 1 ? hidden : hidden.mul(scalars.of(style.embeddingScale()));
  }

  /** RMSNorm over the last axis: {@code x / rms(x) * weight}, or Gemma's {@code * (1 + weight)}. */
  public NDArray norm(NDArray x, NDArray weight) {
    NDArray rms = x.mul(x).mean(new int[] {-1}, true).add(scalars.of(config.rmsNormEps())).sqrt();
    // The constant first, so that the sum belongs to the step, not to the model's weights.
    NDArray scale = style.gemmaNorms() ? scalars.of(1).add(weight) : weight;
    return x.div(rms).mul(scale);
  }

  /**
   * One decoder layer on {@code hidden} {@code [batch, length, hidden]}; {@code norms} by the names
   * of {@link DecoderStyle#layerNorms()}, {@code rotary} the {cos, sin} of this layer's positions
   * and frequencies, {@code mask} additive over the keys {@code keyValues} returns.
   */
  public NDArray layer(
      NDArray hidden,
      Map<String, NDArray> norms,
      Projector projector,
      NDArray[] rotary,
      NDArray mask,
      KeyValues keyValues) {
    int batchSize = (int) hidden.getShape().get(0);
    int length = (int) hidden.getShape().get(1);
    int heads = config.numAttentionHeads();
    int kvHeads = config.numKeyValueHeads();
    int headDim = config.headDim();
    NDArray x = norm(hidden, norms.get("input_layernorm"));
    NDArray q =
        AttentionOps.heads(projector.project("q_proj", x), batchSize, length, heads, headDim);
    NDArray k =
        AttentionOps.heads(projector.project("k_proj", x), batchSize, length, kvHeads, headDim);
    NDArray v =
        AttentionOps.heads(projector.project("v_proj", x), batchSize, length, kvHeads, headDim);
    if (style.qkNorm()) {
      q = norm(q, norms.get("self_attn.q_norm"));
      k = norm(k, norms.get("self_attn.k_norm"));
    }
    // Scaling q (head_dim wide) rather than the scores (length wide) saves a pass over
    // [batch, heads, length, length] forward and backward.
    q = AttentionOps.rotate(q, rotary).mul(scalars.of(style.queryScale()));
    NDArray[] attended = keyValues.attend(AttentionOps.rotate(k, rotary), v);
    NDArray keys = AttentionOps.repeatKv(attended[0], heads / kvHeads);
    NDArray values = AttentionOps.repeatKv(attended[1], heads / kvHeads);
    NDArray scores = softcap(q.matMul(keys.transpose(0, 1, 3, 2)), style.attnLogitSoftcapping());
    NDArray output =
        projector.project(
            "o_proj",
            scores
                .add(mask)
                .softmax(-1)
                .matMul(values)
                .transpose(0, 2, 1, 3)
                .reshape(batchSize, length, (long) heads * headDim));
    if (style.gemmaNorms()) {
      output = norm(output, norms.get("post_attention_layernorm"));
    }
    hidden = hidden.add(output);
    x =
        norm(
            hidden,
            norms.get(
                style.gemmaNorms() ? "pre_feedforward_layernorm" : "post_attention_layernorm"));
    NDArray gate = projector.project("gate_proj", x);
    NDArray up = projector.project("up_proj", x);
    output = projector.project("down_proj", activation(gate).mul(up));
    if (style.gemmaNorms()) {
      output = norm(output, norms.get("post_feedforward_layernorm"));
    }
    return hidden.add(output);
  }

  /**
   * One step of cached decoding outside the model: {@code tokens} ({@code [batch][count]}) at their
   * rotary {@code positions} through every layer of {@code weights}, with the additive mask {@code
   * masks} builds for an attention window (once per distinct window); returns each row's logits
   * after its last token, {@code [batch][vocab]}.
   */
  public float[][] decode(
      NDManager step,
      InferenceWeights weights,
      long[][] tokens,
      int[][] positions,
      IntFunction<NDArray> masks,
      LayerProjector projector,
      LayerKeyValues keyValues) {
    int batchSize = tokens.length;
    int count = tokens[0].length;
    long[] flat = new long[batchSize * count];
    for (int b = 0; b < batchSize; b++) {
      System.arraycopy(tokens[b], 0, flat, b * count, count);
    }
    NDArray hidden = embed(step.create(flat, new Shape(batchSize, count)), weights.embedding());
    Map<Integer, NDArray> windowMasks = new TreeMap<>();
    Map<String, NDArray[]> rotaries = new TreeMap<>();
    for (int i = 0; i < weights.layers().size(); i++) {
      int index = i;
      NDArray mask = windowMasks.computeIfAbsent(config.window(i), masks::apply);
      double[] frequencies = config.inverseFrequencies(i);
      NDArray[] rotary =
          rotaries.computeIfAbsent(
              config.layerTypes().get(i),
              type -> AttentionOps.rotaryTables(step, positions, frequencies, config.headDim()));
      hidden =
          layer(
              hidden,
              weights.layers().get(i).norms(),
              (name, x) -> projector.project(index, name, x),
              rotary,
              mask,
              (keys, values) -> keyValues.attend(index, keys, values));
    }
    NDArray last = hidden.get(new NDIndex(":, -1:, :"));
    float[] logits = logits(last, weights.finalNorm(), weights.lmHead()).toFloatArray();
    int vocab = logits.length / batchSize;
    float[][] rows = new float[batchSize][];
    for (int b = 0; b < batchSize; b++) {
      rows[b] = Arrays.copyOfRange(logits, b * vocab, (b + 1) * vocab);
    }
    return rows;
  }

  /** Logits of the final hidden states, soft-capped where the architecture caps them. */
  public NDArray logits(NDArray hidden, NDArray finalNorm, NDArray lmHead) {
    NDArray logits = Linear.linear(norm(hidden, finalNorm), lmHead).singletonOrThrow();
    return softcap(logits, style.finalLogitSoftcapping());
  }

  private NDArray activation(NDArray gate) {
    if (style.hiddenActivation().equals(DecoderStyle.SILU)) {
      return gate.mul(Activation.sigmoid(gate));
    }
    // gelu_pytorch_tanh: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
    NDArray inner =
        gate.mul(gate)
            .mul(gate)
            .mul(scalars.of(GELU_CUBIC))
            .add(gate)
            .mul(scalars.of(Math.sqrt(2 / Math.PI)));
    return inner.tanh().add(scalars.of(1)).mul(gate).mul(scalars.of(0.5));
  }

  private NDArray softcap(NDArray x, double cap) {
    return cap == 0 ? x : x.div(scalars.of(cap)).tanh().mul(scalars.of(cap));
  }
}
