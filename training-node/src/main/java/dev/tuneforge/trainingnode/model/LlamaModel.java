package dev.tuneforge.trainingnode.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.UnsupportedModelException;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.LoraSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A Llama-shaped causal LM in NDArray ops, following Hugging Face's {@code modeling_llama}, {@code
 * modeling_mistral} and {@code modeling_qwen2}: RMSNorm, rotary embeddings (rotate_half, optionally
 * Llama 3.1-scaled), grouped-query attention with causal and padding masks, SwiGLU MLP, q/k/v
 * biases for Qwen2 and tied input/output embeddings where the config says so. Loaded for LoRA, the
 * base weights are frozen and only the LoRA matrices collect gradients; loaded for full
 * fine-tuning, every weight collects gradients (a tied lm_head is the embedding itself, so it stays
 * tied); loaded frozen, nothing does.
 */
public final class LlamaModel implements AutoCloseable {

  /** The projections LoRA can target, in PEFT's usual order. */
  public static final List<String> PROJECTIONS = ModelConfig.PROJECTIONS;

  private final ModelConfig config;
  private final NDManager manager;
  private final NDArray embedding;
  private final NDArray finalNorm;
  private final NDArray lmHead;
  private final List<Map<String, LoraLinear>> projections = new ArrayList<>();
  private final List<NDArray[]> norms = new ArrayList<>();
  private final Map<String, NDArray> lora = new TreeMap<>();
  private final Map<String, NDArray> full = new TreeMap<>();
  private final boolean fullFineTuning;

  /**
   * With {@code settings} null no LoRA matrices are added: the base weights collect gradients when
   * {@code trainBase}, else the model is frozen.
   */
  private LlamaModel(
      ModelConfig config,
      HfWeights weights,
      @Nullable LoraSettings settings,
      long seed,
      boolean trainBase,
      Device device) {
    this.fullFineTuning = trainBase;
    if (settings != null) {
      checkLora(settings);
    }
    this.config = config;
    // Every array the model, its optimiser and its batches create follows this manager's device.
    this.manager = NDManager.newBaseManager(device);
    int hidden = config.hiddenSize();
    int vocab = config.vocabSize();
    embedding = base(weights, "model.embed_tokens.weight", vocab, hidden);
    finalNorm = base(weights, "model.norm.weight", hidden);
    // Tied like Hugging Face ties them: a stored lm_head.weight is ignored.
    lmHead =
        config.tieWordEmbeddings() ? embedding : base(weights, "lm_head.weight", vocab, hidden);
    SplittableRandom random = new SplittableRandom(seed);
    double scale = settings == null ? 0 : settings.scale();
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      String prefix = "model.layers." + i + ".";
      norms.add(
          new NDArray[] {
            base(weights, prefix + "input_layernorm.weight", hidden),
            base(weights, prefix + "post_attention_layernorm.weight", hidden)
          });
      Map<String, LoraLinear> layer = new TreeMap<>();
      for (String name : PROJECTIONS) {
        String path = prefix + ModelConfig.projectionModule(name) + name;
        long[] shape = config.projectionShape(name);
        NDArray weight = base(weights, path + ".weight", shape);
        @Nullable NDArray bias =
            config.hasBias(name) ? base(weights, path + ".bias", shape[0]) : null;
        if (settings != null && settings.targetModules().contains(name)) {
          NDArray a =
              manager.create(
                  kaimingUniform(random, settings.r(), (int) shape[1]),
                  new Shape(settings.r(), shape[1]));
          NDArray b = manager.zeros(new Shape(shape[0], settings.r()));
          a.setRequiresGradient(true);
          b.setRequiresGradient(true);
          lora.put(path + ".lora_A.weight", a);
          lora.put(path + ".lora_B.weight", b);
          layer.put(name, new LoraLinear(weight, bias, a, b, (float) settings.dropout(), scale));
        } else {
          layer.put(name, new LoraLinear(weight, bias, null, null, 0f, 0));
        }
      }
      projections.add(layer);
    }
  }

  private static void checkLora(LoraSettings settings) {
    for (String target : settings.targetModules()) {
      if (!PROJECTIONS.contains(target)) {
        throw new IllegalArgumentException(
            "unknown LoRA target module " + target + "; known: " + PROJECTIONS);
      }
    }
    if (settings.targetModules().isEmpty() || settings.r() <= 0) {
      throw new IllegalArgumentException("LoRA needs r > 0 and at least one target module");
    }
  }

  /**
   * Loads config and fp32 base weights from a Hugging Face directory and adds fresh LoRA matrices,
   * on the CPU.
   */
  public static LlamaModel load(Path directory, LoraSettings lora, long seed) throws IOException {
    return load(directory, lora, seed, Device.cpu());
  }

  /** As {@link #load(Path, LoraSettings, long)}, every array on {@code device}. */
  public static LlamaModel load(Path directory, LoraSettings lora, long seed, Device device)
      throws IOException {
    ModelConfig config = ModelConfig.read(directory.resolve("config.json"));
    return new LlamaModel(config, HfWeights.read(directory), lora, seed, false, device);
  }

  /** Loads config and fp32 weights from a Hugging Face directory, every weight trainable. */
  public static LlamaModel loadForFullFineTuning(Path directory) throws IOException {
    return loadForFullFineTuning(directory, Device.cpu());
  }

  /** As {@link #loadForFullFineTuning(Path)}, every array on {@code device}. */
  public static LlamaModel loadForFullFineTuning(Path directory, Device device) throws IOException {
    ModelConfig config = ModelConfig.read(directory.resolve("config.json"));
    return new LlamaModel(config, HfWeights.read(directory), null, 0, true, device);
  }

  /**
   * Loads config and fp32 weights from a Hugging Face directory, nothing trainable: the base model
   * as it is.
   */
  public static LlamaModel loadFrozen(Path directory) throws IOException {
    return loadFrozen(directory, Device.cpu());
  }

  /** As {@link #loadFrozen(Path)}, every array on {@code device}. */
  public static LlamaModel loadFrozen(Path directory, Device device) throws IOException {
    ModelConfig config = ModelConfig.read(directory.resolve("config.json"));
    return new LlamaModel(config, HfWeights.read(directory), null, 0, false, device);
  }

  /** Where the model's arrays live; the trainer, evaluator and generator create theirs there. */
  public Device device() {
    return manager.getDevice();
  }

  public ModelConfig config() {
    return config;
  }

  /** LoRA matrices by PEFT name without the {@code base_model.model.} prefix, sorted. */
  public Map<String, NDArray> loraParameters() {
    return Collections.unmodifiableMap(lora);
  }

  /** Copies of the LoRA matrices as plain tensors, for writing an adapter. */
  public Map<String, Tensor> exportLora() {
    Map<String, Tensor> tensors = new TreeMap<>();
    lora.forEach(
        (name, array) ->
            tensors.put(name, new Tensor(array.getShape().getShape(), array.toFloatArray())));
    return tensors;
  }

  /** Whether every weight trains, rather than LoRA matrices beside frozen weights. */
  public boolean fullFineTuning() {
    return fullFineTuning;
  }

  /**
   * What the optimiser updates, sorted by name: the LoRA matrices as {@link #loraParameters()}
   * names them, or for full fine-tuning every weight under its Hugging Face name (a tied lm_head
   * only as {@code model.embed_tokens.weight}).
   */
  public Map<String, NDArray> trainableParameters() {
    return Collections.unmodifiableMap(fullFineTuning ? full : lora);
  }

  /**
   * Copies of {@link #trainableParameters()} as plain tensors, for a checkpoint or a model file.
   */
  public Map<String, Tensor> exportTrainable() {
    Map<String, Tensor> tensors = new TreeMap<>();
    trainableParameters()
        .forEach(
            (name, array) ->
                tensors.put(name, new Tensor(array.getShape().getShape(), array.toFloatArray())));
    return tensors;
  }

  /**
   * The trainable parameters AdamW should not decay: for full fine-tuning the norms' weights and
   * the biases (every 1-d parameter), as Hugging Face's Trainer exempts them; none for LoRA.
   */
  public Set<String> parametersWithoutWeightDecay() {
    Set<String> exempt = new TreeSet<>();
    if (fullFineTuning) {
      full.forEach(
          (name, array) -> {
            if (array.getShape().dimension() == 1) {
              exempt.add(name);
            }
          });
    }
    return exempt;
  }

  public long trainableParameterCount() {
    return trainableParameters().values().stream().mapToLong(NDArray::size).sum();
  }

  /** The model's arrays for inference paths outside this class, such as KV-cached decoding. */
  public InferenceWeights inferenceWeights() {
    List<InferenceWeights.Layer> layers = new ArrayList<>();
    for (int i = 0; i < projections.size(); i++) {
      Map<String, InferenceWeights.Projection> layer = new TreeMap<>();
      projections.get(i).forEach((name, linear) -> layer.put(name, linear.weights()));
      layers.add(new InferenceWeights.Layer(norms.get(i)[0], norms.get(i)[1], layer));
    }
    return new InferenceWeights(embedding, finalNorm, lmHead, layers, config.inverseFrequencies());
  }

  /** Mean cross-entropy over the tokens whose next-token label is not -100; a 0-d array. */
  public NDArray loss(NDManager step, TokenBatch batch, boolean training) {
    long counted = batch.trainableTokens();
    if (counted == 0) {
      throw new IllegalArgumentException("the batch has no labelled tokens");
    }
    int size = batch.batchSize() * batch.length();
    long[] targets = new long[size];
    float[] weights = new float[size];
    for (int b = 0; b < batch.batchSize(); b++) {
      for (int t = 0; t + 1 < batch.length(); t++) {
        long label = batch.labels()[b * batch.length() + t + 1];
        if (label != TokenBatch.IGNORE) {
          targets[b * batch.length() + t] = label;
          weights[b * batch.length() + t] = 1f;
        }
      }
    }
    StepScalars scalars = new StepScalars(step);
    NDArray logProbs = forward(step, scalars, batch, training, true).logSoftmax(-1);
    NDArray picked =
        logProbs.gather(step.create(targets, new Shape(batch.batchSize(), batch.length(), 1)), -1);
    NDArray mask = step.create(weights, new Shape(batch.batchSize(), batch.length(), 1));
    return picked.mul(mask).sum().neg().div(scalars.of(counted));
  }

  /** Logits {@code [batch, length, vocab]}. */
  public NDArray logits(NDManager step, TokenBatch batch, boolean training) {
    return logits(step, batch, training, true);
  }

  /**
   * Logits {@code [batch, length, vocab]}; without {@code adapter}, those of the base model alone.
   */
  public NDArray logits(NDManager step, TokenBatch batch, boolean training, boolean adapter) {
    return forward(step, new StepScalars(step), batch, training, adapter);
  }

  private NDArray forward(
      NDManager step, StepScalars scalars, TokenBatch batch, boolean training, boolean adapter) {
    int batchSize = batch.batchSize();
    int length = batch.length();
    int heads = config.numAttentionHeads();
    int kvHeads = config.numKeyValueHeads();
    int headDim = config.headDim();
    NDArray ids = step.create(batch.inputIds(), new Shape(batchSize, length));
    NDArray hidden = Embedding.embedding(ids, embedding, SparseFormat.DENSE).singletonOrThrow();
    NDArray mask = AttentionInputs.mask(step, batch);
    if (config.slidingWindow() > 0 && length > config.slidingWindow()) {
      // Up to the window, sliding-window attention equals full causal attention.
      throw new UnsupportedModelException(
          "a sequence of "
              + length
              + " tokens exceeds the model's sliding_window "
              + config.slidingWindow()
              + ", and sliding-window attention is not implemented; lower maxSequenceLength to at most "
              + config.slidingWindow());
    }
    NDArray[] rotary =
        batch.positionIds() == null
            ? AttentionInputs.rotary(step, length, headDim, config.inverseFrequencies())
            : AttentionInputs.rotary(step, batch, headDim, config.inverseFrequencies());
    NDArray attentionScale = scalars.of(1.0 / Math.sqrt(headDim));
    for (int i = 0; i < projections.size(); i++) {
      Map<String, LoraLinear> layer = projections.get(i);
      NDArray x = rmsNorm(hidden, norms.get(i)[0], scalars);
      NDArray q =
          AttentionOps.heads(
              layer.get("q_proj").forward(x, scalars, training, adapter),
              batchSize,
              length,
              heads,
              headDim);
      NDArray k =
          AttentionOps.heads(
              layer.get("k_proj").forward(x, scalars, training, adapter),
              batchSize,
              length,
              kvHeads,
              headDim);
      NDArray v =
          AttentionOps.heads(
              layer.get("v_proj").forward(x, scalars, training, adapter),
              batchSize,
              length,
              kvHeads,
              headDim);
      // Scaling q (head_dim wide) rather than the scores (length wide) saves a pass over
      // [batch, heads, length, length] forward and backward.
      q = AttentionOps.rotate(q, rotary).mul(attentionScale);
      k = AttentionOps.repeatKv(AttentionOps.rotate(k, rotary), heads / kvHeads);
      v = AttentionOps.repeatKv(v, heads / kvHeads);
      NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).add(mask);
      NDArray attended =
          scores
              .softmax(-1)
              .matMul(v)
              .transpose(0, 2, 1, 3)
              .reshape(batchSize, length, (long) heads * headDim);
      hidden = hidden.add(layer.get("o_proj").forward(attended, scalars, training, adapter));
      x = rmsNorm(hidden, norms.get(i)[1], scalars);
      NDArray gate = layer.get("gate_proj").forward(x, scalars, training, adapter);
      NDArray up = layer.get("up_proj").forward(x, scalars, training, adapter);
      hidden =
          hidden.add(
              layer
                  .get("down_proj")
                  .forward(gate.mul(Activation.sigmoid(gate)).mul(up), scalars, training, adapter));
    }
    return Linear.linear(rmsNorm(hidden, finalNorm, scalars), lmHead).singletonOrThrow();
  }

  private NDArray rmsNorm(NDArray x, NDArray weight, StepScalars scalars) {
    NDArray rms = x.mul(x).mean(new int[] {-1}, true).add(scalars.of(config.rmsNormEps())).sqrt();
    return x.div(rms).mul(weight);
  }

  /** A base weight: frozen, or for full fine-tuning trainable under its Hugging Face name. */
  private NDArray base(HfWeights weights, String name, long... shape) {
    Tensor tensor = weights.take(name, shape);
    NDArray array = manager.create(tensor.values(), new Shape(tensor.shape()));
    if (fullFineTuning) {
      array.setRequiresGradient(true);
      full.put(name, array);
    }
    return array;
  }

  /** PEFT's default: kaiming_uniform_(a=sqrt(5)), which bounds A by 1/sqrt(fan_in). */
  private static float[] kaimingUniform(SplittableRandom random, int rows, int fanIn) {
    double bound = 1.0 / Math.sqrt(fanIn);
    float[] values = new float[rows * fanIn];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    return values;
  }

  @Override
  public void close() {
    manager.close();
  }
}
