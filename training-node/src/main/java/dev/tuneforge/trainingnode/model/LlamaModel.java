package dev.tuneforge.trainingnode.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.quant.Nf4;
import dev.tuneforge.trainingnode.quant.Nf4Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A Llama-shaped causal LM in NDArray ops, following Hugging Face's {@code modeling_llama}, {@code
 * modeling_mistral}, {@code modeling_qwen2}, {@code modeling_qwen3} and {@code modeling_gemma3}:
 * RMSNorm, rotary embeddings (rotate_half, optionally Llama 3.1- or linearly scaled), grouped-query
 * attention with causal, padding and sliding-window masks, SwiGLU or GeGLU MLP, q/k/v biases for
 * Qwen2, q/k norms for Qwen3 and Gemma 3, Gemma's scaled embeddings, extra norms, local rotary base
 * and soft-capping ({@link DecoderOps}), and tied input/output embeddings where the config says so.
 * Loaded for LoRA, the base weights are frozen and only the LoRA matrices collect gradients; loaded
 * for full fine-tuning, every weight collects gradients (a tied lm_head is the embedding itself, so
 * it stays tied); loaded frozen, nothing does. Loaded for QLoRA, the frozen projections (q, k, v,
 * o, gate, up, down) are kept in NF4 and dequantised in each forward pass, while the embedding, the
 * norms, lm_head and the biases stay fp32, as bitsandbytes' 4-bit loading in transformers leaves
 * them.
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
  private final List<Map<String, NDArray>> norms = new ArrayList<>();
  private final Map<String, NDArray> lora = new TreeMap<>();
  private final Map<String, NDArray> full = new TreeMap<>();
  private final boolean fullFineTuning;
  private final boolean quantizedBase;
  private @Nullable InferenceWeights inference;

  /**
   * With {@code settings} null no LoRA matrices are added: the base weights collect gradients when
   * {@code trainBase}, else the model is frozen. With {@code quantizeBase} the projections' frozen
   * weights are kept in NF4.
   */
  private LlamaModel(
      ModelConfig config,
      HfWeights weights,
      @Nullable LoraSettings settings,
      long seed,
      boolean trainBase,
      boolean quantizeBase,
      Device device) {
    this.fullFineTuning = trainBase;
    this.quantizedBase = quantizeBase;
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
      Map<String, NDArray> layerNorms = new TreeMap<>();
      for (String norm : config.style().layerNorms()) {
        layerNorms.put(norm, base(weights, prefix + norm + ".weight", config.normSize(norm)));
      }
      norms.add(layerNorms);
      Map<String, LoraLinear> layer = new TreeMap<>();
      for (String name : PROJECTIONS) {
        String path = prefix + ModelConfig.projectionModule(name) + name;
        long[] shape = config.projectionShape(name);
        @Nullable NDArray weight = quantizeBase ? null : base(weights, path + ".weight", shape);
        @Nullable Nf4Tensor nf4 =
            quantizeBase
                ? Nf4.quantize(weights.take(path + ".weight", shape).values(), shape)
                : null;
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
          layer.put(name, projection(weight, nf4, bias, a, b, (float) settings.dropout(), scale));
        } else {
          layer.put(name, projection(weight, nf4, bias, null, null, 0f, 0));
        }
      }
      projections.add(layer);
    }
  }

  private static LoraLinear projection(
      @Nullable NDArray weight,
      @Nullable Nf4Tensor nf4,
      @Nullable NDArray bias,
      @Nullable NDArray a,
      @Nullable NDArray b,
      float dropout,
      double scale) {
    return nf4 != null
        ? new LoraLinear(nf4, bias, a, b, dropout, scale)
        : new LoraLinear(Objects.requireNonNull(weight), bias, a, b, dropout, scale);
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
    return new LlamaModel(config, HfWeights.read(directory), lora, seed, false, false, device);
  }

  /**
   * As {@link #load}, for QLoRA: the projections' frozen weights are quantised to NF4 as they are
   * read (deterministically, so a resumed run has the same base) and the fp32 copies let go.
   */
  public static LlamaModel loadQuantized(Path directory, LoraSettings lora, long seed)
      throws IOException {
    return loadQuantized(directory, lora, seed, Device.cpu());
  }

  /** As {@link #loadQuantized(Path, LoraSettings, long)}, every array on {@code device}. */
  public static LlamaModel loadQuantized(
      Path directory, LoraSettings lora, long seed, Device device) throws IOException {
    ModelConfig config = ModelConfig.read(directory.resolve("config.json"));
    return new LlamaModel(config, HfWeights.read(directory), lora, seed, false, true, device);
  }

  /** Loads config and fp32 weights from a Hugging Face directory, every weight trainable. */
  public static LlamaModel loadForFullFineTuning(Path directory) throws IOException {
    return loadForFullFineTuning(directory, Device.cpu());
  }

  /** As {@link #loadForFullFineTuning(Path)}, every array on {@code device}. */
  public static LlamaModel loadForFullFineTuning(Path directory, Device device) throws IOException {
    ModelConfig config = ModelConfig.read(directory.resolve("config.json"));
    return new LlamaModel(config, HfWeights.read(directory), null, 0, true, false, device);
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
    return new LlamaModel(config, HfWeights.read(directory), null, 0, false, false, device);
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

  /** Whether the projections' frozen weights are kept in NF4 (QLoRA). */
  public boolean quantizedBase() {
    return quantizedBase;
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

  /**
   * The model's arrays for inference paths outside this class, such as KV-cached decoding. An NF4
   * base is dequantised once, on the first call, into fp32 arrays that the model keeps until it is
   * closed: decoding token by token cannot afford to dequantise at every token.
   */
  public InferenceWeights inferenceWeights() {
    if (inference != null) {
      return inference;
    }
    NDManager arrays = quantizedBase ? manager.newSubManager() : manager;
    List<InferenceWeights.Layer> layers = new ArrayList<>();
    for (int i = 0; i < projections.size(); i++) {
      Map<String, InferenceWeights.Projection> layer = new TreeMap<>();
      projections.get(i).forEach((name, linear) -> layer.put(name, linear.weights(arrays)));
      layers.add(new InferenceWeights.Layer(norms.get(i), layer));
    }
    inference = new InferenceWeights(embedding, finalNorm, lmHead, layers);
    return inference;
  }

  /** Mean cross-entropy over the tokens whose next-token label is not -100; a 0-d array. */
  public NDArray loss(NDManager step, TokenBatch batch, boolean training) {
    long counted = batch.trainableTokens();
    if (counted == 0) {
      throw new IllegalArgumentException("the batch has no labelled tokens");
    }
    StepScalars scalars = new StepScalars(step);
    return labelledLogProbs(step, scalars, batch, training, true)
        .sum()
        .neg()
        .div(scalars.of(counted));
  }

  /**
   * Each row's summed log-probability of its labelled tokens, {@code [batch]}: the log-likelihood
   * of an answer given its prompt, as DPO compares them. Without {@code adapter}, the base model's
   * alone (DPO's reference); the caller decides whether gradients are recorded.
   */
  public NDArray sequenceLogProbs(
      NDManager step, StepScalars scalars, TokenBatch batch, boolean training, boolean adapter) {
    return labelledLogProbs(step, scalars, batch, training, adapter).sum(new int[] {1, 2});
  }

  /** The log-probability of each next-token label, 0 where none is taken; {@code [b, len, 1]}. */
  private NDArray labelledLogProbs(
      NDManager step, StepScalars scalars, TokenBatch batch, boolean training, boolean adapter) {
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
    NDArray logProbs = forward(step, scalars, batch, training, adapter).logSoftmax(-1);
    NDArray picked =
        logProbs.gather(step.create(targets, new Shape(batch.batchSize(), batch.length(), 1)), -1);
    NDArray mask = step.create(weights, new Shape(batch.batchSize(), batch.length(), 1));
    return picked.mul(mask);
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
    DecoderOps ops = new DecoderOps(config, scalars);
    NDArray ids = step.create(batch.inputIds(), new Shape(batch.batchSize(), batch.length()));
    NDArray hidden = ops.embed(ids, embedding);
    // At most two kinds of layer (full and sliding-window), each with its mask and rotary tables.
    Map<Integer, NDArray> masks = new TreeMap<>();
    Map<String, NDArray[]> rotaries = new TreeMap<>();
    for (int i = 0; i < projections.size(); i++) {
      Map<String, LoraLinear> layer = projections.get(i);
      NDArray mask =
          masks.computeIfAbsent(
              config.window(i), window -> AttentionInputs.mask(step, batch, window));
      double[] frequencies = config.inverseFrequencies(i);
      NDArray[] rotary =
          rotaries.computeIfAbsent(
              config.layerTypes().get(i), type -> rotary(step, batch, frequencies));
      hidden =
          ops.layer(
              hidden,
              norms.get(i),
              (name, x) -> layer.get(name).forward(x, scalars, training, adapter),
              rotary,
              mask,
              (keys, values) -> new NDArray[] {keys, values});
    }
    return ops.logits(hidden, finalNorm, lmHead);
  }

  private NDArray[] rotary(NDManager step, TokenBatch batch, double[] frequencies) {
    return batch.positionIds() == null
        ? AttentionInputs.rotary(step, batch.length(), config.headDim(), frequencies)
        : AttentionInputs.rotary(step, batch, config.headDim(), frequencies);
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
