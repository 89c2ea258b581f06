package dev.tuneforge.trainingnode.model;

import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.RopeScaling;
import dev.tuneforge.modelformat.safetensors.DataType;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a tiny Llama-shaped model (Llama, Qwen2, Mistral, Qwen3 or Gemma 3 layout, with the config
 * fields and tensors of each) with seeded random weights and a real byte-level BPE tokenizer in
 * Hugging Face layout. Pure Java, no DJL, so a launcher can call it before any native library is
 * loaded.
 */
public final class DemoModelWriter {

  static final String CHAT_TEMPLATE =
      "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content']"
          + " + '<|im_end|>' + '\\n' }}{% endfor %}"
          + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final long seed;
  private final int hiddenSize;
  private final int intermediateSize;
  private final int layers;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final String architecture;
  private final double ropeTheta;
  private final @Nullable RopeScaling ropeScaling;
  private final DataType dataType;
  private final int shards;
  private final int slidingWindow;
  private final int slidingWindowPattern;
  private final double attnLogitSoftcapping;
  private final double finalLogitSoftcapping;

  private DemoModelWriter(Builder builder) {
    this.seed = builder.seed;
    this.hiddenSize = builder.hiddenSize;
    this.intermediateSize = builder.intermediateSize;
    this.layers = builder.layers;
    this.heads = builder.heads;
    this.kvHeads = builder.kvHeads;
    this.headDim = builder.headDim > 0 ? builder.headDim : builder.hiddenSize / builder.heads;
    this.architecture = builder.architecture;
    this.ropeTheta = builder.ropeTheta;
    this.ropeScaling = builder.ropeScaling;
    this.dataType = builder.dataType;
    this.shards = builder.shards;
    this.slidingWindow = builder.slidingWindow;
    this.slidingWindowPattern = builder.slidingWindowPattern;
    this.attnLogitSoftcapping = builder.attnLogitSoftcapping;
    this.finalLogitSoftcapping = builder.finalLogitSoftcapping;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes the default demo model (hidden 64, 2 layers, 4 heads, 2 kv heads) into {@code
   * directory}.
   */
  /** Writes the demo model to {@code args[0]}, for bin/gpu-check on a machine without Maven. */
  public static void main(String[] args) throws IOException {
    write(Path.of(args[0]), 1);
    System.out.println("demo model written to " + args[0]);
  }

  public static void write(Path directory, long seed) throws IOException {
    builder().optSeed(seed).build().writeTo(directory);
  }

  public void writeTo(Path directory) throws IOException {
    Files.createDirectories(directory);
    DemoTokenizer tokenizer = new DemoTokenizer();
    int vocab = tokenizer.vocabSize();
    Files.writeString(directory.resolve("tokenizer.json"), tokenizer.toJson(JSON));
    Files.writeString(directory.resolve("tokenizer_config.json"), tokenizerConfig(tokenizer));
    Files.writeString(directory.resolve("config.json"), config(tokenizer));
    Files.writeString(directory.resolve("generation_config.json"), generationConfig(tokenizer));
    writeWeights(directory, weights(vocab, ModelConfig.parse(config(tokenizer))));
  }

  private void writeWeights(Path directory, Map<String, Tensor> weights) throws IOException {
    if (shards == 1) {
      SafeTensors.write(
          directory.resolve("model.safetensors"), weights, Map.of("format", "pt"), dataType);
      return;
    }
    List<Map<String, Tensor>> parts = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      parts.add(new TreeMap<>());
    }
    ObjectNode index = JSON.createObjectNode();
    long totalSize = weights.values().stream().mapToLong(t -> t.size() * dataType.bytes()).sum();
    index.putObject("metadata").put("total_size", totalSize);
    ObjectNode weightMap = index.putObject("weight_map");
    int i = 0;
    for (Map.Entry<String, Tensor> entry : weights.entrySet()) {
      int shard = i++ * shards / weights.size();
      parts.get(shard).put(entry.getKey(), entry.getValue());
      weightMap.put(entry.getKey(), shardName(shard));
    }
    for (int shard = 0; shard < shards; shard++) {
      SafeTensors.write(
          directory.resolve(shardName(shard)), parts.get(shard), Map.of("format", "pt"), dataType);
    }
    Files.writeString(
        directory.resolve("model.safetensors.index.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
  }

  private String shardName(int shard) {
    return String.format("model-%05d-of-%05d.safetensors", shard + 1, shards);
  }

  private boolean qwen2() {
    return architecture.equals("Qwen2ForCausalLM");
  }

  private boolean gemma3() {
    return architecture.equals("Gemma3ForCausalLM");
  }

  /** Qwen2.5's, Qwen3's and Gemma 3's small models tie their output head to the embedding. */
  private boolean tied() {
    return qwen2() || gemma3() || architecture.equals("Qwen3ForCausalLM");
  }

  private Map<String, Tensor> weights(int vocab, ModelConfig config) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Tensor> weights = new TreeMap<>();
    // A tied embedding is also the output head: see the note on lm_head below.
    weights.put(
        "model.embed_tokens.weight",
        normal(random, vocab, hiddenSize, tied() ? 1 / Math.sqrt(hiddenSize) : 0.02));
    for (int i = 0; i < layers; i++) {
      String prefix = "model.layers." + i + ".";
      weights.put(
          prefix + "self_attn.q_proj.weight", normal(random, heads * headDim, hiddenSize, 0.02));
      weights.put(
          prefix + "self_attn.k_proj.weight", normal(random, kvHeads * headDim, hiddenSize, 0.02));
      weights.put(
          prefix + "self_attn.v_proj.weight", normal(random, kvHeads * headDim, hiddenSize, 0.02));
      weights.put(
          prefix + "self_attn.o_proj.weight", normal(random, hiddenSize, heads * headDim, 0.02));
      weights.put(
          prefix + "mlp.gate_proj.weight", normal(random, intermediateSize, hiddenSize, 0.02));
      weights.put(
          prefix + "mlp.up_proj.weight", normal(random, intermediateSize, hiddenSize, 0.02));
      weights.put(
          prefix + "mlp.down_proj.weight", normal(random, hiddenSize, intermediateSize, 0.02));
      weights.put(prefix + "input_layernorm.weight", ones(hiddenSize));
      weights.put(prefix + "post_attention_layernorm.weight", ones(hiddenSize));
      if (qwen2()) {
        weights.put(prefix + "self_attn.q_proj.bias", vector(random, heads * headDim, 0.1));
        weights.put(prefix + "self_attn.k_proj.bias", vector(random, kvHeads * headDim, 0.1));
        weights.put(prefix + "self_attn.v_proj.bias", vector(random, kvHeads * headDim, 0.1));
      }
      addNorms(random, weights, prefix, config);
    }
    // Gemma's norms multiply by 1 + weight, so their neutral weight is 0.
    weights.put("model.norm.weight", gemma3() ? vector(random, hiddenSize, 0.1) : ones(hiddenSize));
    if (tied()) {
      return weights;
    }
    // A wider head than initializer_range gives: at 0.02 the logits of a 64-wide model span
    // about +-1, too narrow for a LoRA-tuned body to express any learnt distribution.
    weights.put("lm_head.weight", normal(random, vocab, hiddenSize, 1 / Math.sqrt(hiddenSize)));
    return weights;
  }

  /**
   * The norms beyond Llama's two, drawn around their neutral value so that a test sees whether each
   * is applied: Qwen3's and Gemma's q/k norms, Gemma's four per layer.
   */
  private void addNorms(
      SplittableRandom random, Map<String, Tensor> weights, String prefix, ModelConfig config) {
    for (String norm : config.style().layerNorms()) {
      String name = prefix + norm + ".weight";
      if (config.style().gemmaNorms()) {
        weights.put(name, vector(random, config.normSize(norm), 0.1));
      } else if (config.style().qkNorm() && norm.startsWith("self_attn.")) {
        Tensor offset = vector(random, headDim, 0.1);
        float[] values = offset.values();
        for (int i = 0; i < values.length; i++) {
          values[i] += 1;
        }
        weights.put(name, offset);
      }
    }
  }

  private static Tensor normal(SplittableRandom random, int rows, int columns, double deviation) {
    float[] values = new float[rows * columns];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (gaussian(random) * deviation);
    }
    return new Tensor(new long[] {rows, columns}, values);
  }

  private static Tensor vector(SplittableRandom random, int size, double deviation) {
    Tensor matrix = normal(random, 1, size, deviation);
    return new Tensor(new long[] {size}, matrix.values());
  }

  private static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  private static Tensor ones(int size) {
    float[] values = new float[size];
    Arrays.fill(values, 1f);
    return new Tensor(new long[] {size}, values);
  }

  private String config(DemoTokenizer tokenizer) {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("architectures").add(architecture);
    root.put("model_type", modelType());
    root.put("hidden_size", hiddenSize);
    root.put("intermediate_size", intermediateSize);
    root.put("num_hidden_layers", layers);
    root.put("num_attention_heads", heads);
    root.put("num_key_value_heads", kvHeads);
    // Qwen2's configs leave head_dim to be derived; the others state it.
    if (!qwen2() || headDim != hiddenSize / heads) {
      root.put("head_dim", headDim);
    }
    root.put("vocab_size", tokenizer.vocabSize());
    root.put("max_position_embeddings", 1024);
    root.put("rope_theta", ropeTheta);
    if (ropeScaling == null) {
      root.putNull("rope_scaling");
    } else if (ropeScaling.type().equals(RopeScaling.LINEAR)) {
      root.putObject("rope_scaling")
          .put("factor", ropeScaling.factor())
          .put("rope_type", RopeScaling.LINEAR);
    } else {
      root.putObject("rope_scaling")
          .put("factor", ropeScaling.factor())
          .put("low_freq_factor", ropeScaling.lowFreqFactor())
          .put("high_freq_factor", ropeScaling.highFreqFactor())
          .put("original_max_position_embeddings", ropeScaling.originalMaxPositionEmbeddings())
          .put("rope_type", "llama3");
    }
    root.put("rms_norm_eps", gemma3() ? 1e-6 : 1e-5);
    if (gemma3()) {
      gemmaFields(root);
    } else {
      root.put("hidden_act", "silu");
    }
    root.put("initializer_range", 0.02);
    switch (architecture) {
      case "Qwen2ForCausalLM" -> {
        root.put("use_sliding_window", false);
        root.put("sliding_window", 1024);
        root.put("max_window_layers", layers);
      }
      case "Qwen3ForCausalLM" -> {
        root.put("attention_bias", false);
        root.put("use_sliding_window", false);
        root.putNull("sliding_window");
        root.put("max_window_layers", layers);
      }
      case "MistralForCausalLM" -> root.put("sliding_window", slidingWindow);
      case "Gemma3ForCausalLM" -> root.put("attention_bias", false);
      default -> {
        root.put("attention_bias", false);
        root.put("mlp_bias", false);
      }
    }
    root.put("attention_dropout", 0.0);
    root.put("tie_word_embeddings", tied());
    root.putNull("bos_token_id");
    root.put("eos_token_id", tokenizer.id(DemoTokenizer.IM_END));
    root.put("pad_token_id", tokenizer.id(DemoTokenizer.END_OF_TEXT));
    root.put(
        "torch_dtype",
        switch (dataType) {
          case BF16 -> "bfloat16";
          case F16 -> "float16";
          case F32 -> "float32";
        });
    root.put("use_cache", true);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  /** Gemma-3-270m's fields, with this model's window, layer pattern and soft-capping. */
  private void gemmaFields(ObjectNode root) {
    root.put("hidden_activation", "gelu_pytorch_tanh");
    root.put("query_pre_attn_scalar", headDim);
    root.put("sliding_window", slidingWindow);
    root.put("_sliding_window_pattern", slidingWindowPattern);
    var types = root.putArray("layer_types");
    for (int i = 0; i < layers; i++) {
      types.add((i + 1) % slidingWindowPattern == 0 ? "full_attention" : "sliding_attention");
    }
    root.put("rope_local_base_freq", 10000.0);
    putCap(root, "attn_logit_softcapping", attnLogitSoftcapping);
    putCap(root, "final_logit_softcapping", finalLogitSoftcapping);
    root.put("use_bidirectional_attention", false);
  }

  private static void putCap(ObjectNode root, String field, double cap) {
    if (cap > 0) {
      root.put(field, cap);
    } else {
      root.putNull(field);
    }
  }

  private String modelType() {
    return switch (architecture) {
      case "Qwen2ForCausalLM" -> "qwen2";
      case "MistralForCausalLM" -> "mistral";
      case "Qwen3ForCausalLM" -> "qwen3";
      case "Gemma3ForCausalLM" -> "gemma3_text";
      default -> "llama";
    };
  }

  private static String tokenizerConfig(DemoTokenizer tokenizer) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode decoder = root.putObject("added_tokens_decoder");
    for (String token : DemoTokenizer.SPECIAL_TOKENS) {
      decoder
          .putObject(String.valueOf(tokenizer.id(token)))
          .put("content", token)
          .put("lstrip", false)
          .put("normalized", false)
          .put("rstrip", false)
          .put("single_word", false)
          .put("special", true);
    }
    root.putArray("additional_special_tokens")
        .add(DemoTokenizer.IM_START)
        .add(DemoTokenizer.IM_END);
    root.putNull("bos_token");
    root.put("eos_token", DemoTokenizer.IM_END);
    root.put("pad_token", DemoTokenizer.END_OF_TEXT);
    root.putNull("unk_token");
    root.put("chat_template", CHAT_TEMPLATE);
    root.put("clean_up_tokenization_spaces", false);
    root.put("model_max_length", 1024);
    root.put("split_special_tokens", false);
    root.put("tokenizer_class", "PreTrainedTokenizerFast");
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  private static String generationConfig(DemoTokenizer tokenizer) {
    ObjectNode root = JSON.createObjectNode();
    root.putNull("bos_token_id");
    root.put("eos_token_id", tokenizer.id(DemoTokenizer.IM_END));
    root.put("pad_token_id", tokenizer.id(DemoTokenizer.END_OF_TEXT));
    root.put("do_sample", false);
    root.put("max_new_tokens", 256);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  /** Sizes of the demo model; the defaults are the ones the local demo uses. */
  public static final class Builder {
    private long seed = 42;
    private int hiddenSize = 64;
    private int intermediateSize = 172;
    private int layers = 2;
    private int heads = 4;
    private int kvHeads = 2;
    private int headDim;
    private String architecture = "LlamaForCausalLM";
    private double ropeTheta = 10000.0;
    private @Nullable RopeScaling ropeScaling;
    private DataType dataType = DataType.F32;
    private int shards = 1;
    private int slidingWindow = 1024;
    private int slidingWindowPattern = 6;
    private double attnLogitSoftcapping;
    private double finalLogitSoftcapping;

    private Builder() {}

    /**
     * The attention window of Mistral's layers and of Gemma's sliding ones, and (Gemma) every how
     * many layers one attends fully, as {@code sliding_window_pattern} counts.
     */
    public Builder optSlidingWindow(int window, int pattern) {
      this.slidingWindow = window;
      this.slidingWindowPattern = pattern;
      return this;
    }

    /** Gemma's {@code attn_logit_softcapping} and {@code final_logit_softcapping}; 0 for null. */
    public Builder optSoftcapping(double attention, double logits) {
      this.attnLogitSoftcapping = attention;
      this.finalLogitSoftcapping = logits;
      return this;
    }

    /**
     * One of {@link ModelConfig#SUPPORTED_ARCHITECTURES}. Qwen2 gets q/k/v biases, Qwen3 q/k norms,
     * Gemma 3 its norms, GeGLU and alternating sliding-window layers; those three a tied output
     * head (no {@code lm_head.weight}) as their small models have.
     */
    public Builder optArchitecture(String architecture) {
      this.architecture = architecture;
      return this;
    }

    /** An explicit {@code head_dim}, which need not equal hidden size / heads. */
    public Builder optHeadDim(int headDim) {
      this.headDim = headDim;
      return this;
    }

    public Builder optRopeTheta(double ropeTheta) {
      this.ropeTheta = ropeTheta;
      return this;
    }

    public Builder optRopeScaling(RopeScaling ropeScaling) {
      this.ropeScaling = ropeScaling;
      return this;
    }

    /** F32 (default), BF16 (the dtype most published checkpoints use) or F16. */
    public Builder optDataType(DataType dataType) {
      this.dataType = dataType;
      return this;
    }

    /** More than one writes {@code model-0000i-of-0000n.safetensors} and their index. */
    public Builder optShards(int shards) {
      this.shards = shards;
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder optHiddenSize(int hiddenSize) {
      this.hiddenSize = hiddenSize;
      return this;
    }

    public Builder optIntermediateSize(int intermediateSize) {
      this.intermediateSize = intermediateSize;
      return this;
    }

    public Builder optLayers(int layers) {
      this.layers = layers;
      return this;
    }

    public Builder optHeads(int heads, int kvHeads) {
      this.heads = heads;
      this.kvHeads = kvHeads;
      return this;
    }

    public DemoModelWriter build() {
      if (hiddenSize % heads != 0
          || heads % kvHeads != 0
          || (hiddenSize / heads) % 2 != 0
          || headDim % 2 != 0) {
        throw new IllegalArgumentException("hidden size, heads and kv heads do not divide evenly");
      }
      if (!ModelConfig.SUPPORTED_ARCHITECTURES.contains(architecture)) {
        throw new IllegalArgumentException("unsupported architecture " + architecture);
      }
      if (shards < 1) {
        throw new IllegalArgumentException("the demo model is written in one or more shards");
      }
      return new DemoModelWriter(this);
    }
  }
}
