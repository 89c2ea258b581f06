package dev.tuneforge.node.model;

import dev.tuneforge.node.safetensors.SafeTensors;
import dev.tuneforge.node.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a tiny Llama-architecture model with seeded random weights and a real byte-level BPE
 * tokenizer in Hugging Face layout. Pure Java, no DJL, so a launcher can call it before any
 * native library is loaded.
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

  private DemoModelWriter(Builder builder) {
    this.seed = builder.seed;
    this.hiddenSize = builder.hiddenSize;
    this.intermediateSize = builder.intermediateSize;
    this.layers = builder.layers;
    this.heads = builder.heads;
    this.kvHeads = builder.kvHeads;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Writes the default demo model (hidden 64, 2 layers, 4 heads, 2 kv heads) into {@code directory}. */
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
    SafeTensors.write(directory.resolve("model.safetensors"), weights(vocab), Map.of("format", "pt"));
  }

  private Map<String, Tensor> weights(int vocab) {
    SplittableRandom random = new SplittableRandom(seed);
    int headDim = hiddenSize / heads;
    Map<String, Tensor> weights = new TreeMap<>();
    weights.put("model.embed_tokens.weight", normal(random, vocab, hiddenSize, 0.02));
    for (int i = 0; i < layers; i++) {
      String prefix = "model.layers." + i + ".";
      weights.put(prefix + "self_attn.q_proj.weight", normal(random, heads * headDim, hiddenSize, 0.02));
      weights.put(prefix + "self_attn.k_proj.weight", normal(random, kvHeads * headDim, hiddenSize, 0.02));
      weights.put(prefix + "self_attn.v_proj.weight", normal(random, kvHeads * headDim, hiddenSize, 0.02));
      weights.put(prefix + "self_attn.o_proj.weight", normal(random, hiddenSize, heads * headDim, 0.02));
      weights.put(prefix + "mlp.gate_proj.weight", normal(random, intermediateSize, hiddenSize, 0.02));
      weights.put(prefix + "mlp.up_proj.weight", normal(random, intermediateSize, hiddenSize, 0.02));
      weights.put(prefix + "mlp.down_proj.weight", normal(random, hiddenSize, intermediateSize, 0.02));
      weights.put(prefix + "input_layernorm.weight", ones(hiddenSize));
      weights.put(prefix + "post_attention_layernorm.weight", ones(hiddenSize));
    }
    weights.put("model.norm.weight", ones(hiddenSize));
    // A wider head than initializer_range gives: at 0.02 the logits of a 64-wide model span
    // about +-1, too narrow for a LoRA-tuned body to express any learnt distribution.
    weights.put("lm_head.weight", normal(random, vocab, hiddenSize, 1 / Math.sqrt(hiddenSize)));
    return weights;
  }

  private static Tensor normal(SplittableRandom random, int rows, int columns, double deviation) {
    float[] values = new float[rows * columns];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (gaussian(random) * deviation);
    }
    return new Tensor(new long[] {rows, columns}, values);
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
    root.putArray("architectures").add("LlamaForCausalLM");
    root.put("model_type", "llama");
    root.put("hidden_size", hiddenSize);
    root.put("intermediate_size", intermediateSize);
    root.put("num_hidden_layers", layers);
    root.put("num_attention_heads", heads);
    root.put("num_key_value_heads", kvHeads);
    root.put("head_dim", hiddenSize / heads);
    root.put("vocab_size", tokenizer.vocabSize());
    root.put("max_position_embeddings", 1024);
    root.put("rope_theta", 10000.0);
    root.putNull("rope_scaling");
    root.put("rms_norm_eps", 1e-5);
    root.put("hidden_act", "silu");
    root.put("initializer_range", 0.02);
    root.put("attention_bias", false);
    root.put("attention_dropout", 0.0);
    root.put("mlp_bias", false);
    root.put("tie_word_embeddings", false);
    root.putNull("bos_token_id");
    root.put("eos_token_id", tokenizer.id(DemoTokenizer.IM_END));
    root.put("pad_token_id", tokenizer.id(DemoTokenizer.END_OF_TEXT));
    root.put("torch_dtype", "float32");
    root.put("use_cache", true);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
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
    root.putArray("additional_special_tokens").add(DemoTokenizer.IM_START).add(DemoTokenizer.IM_END);
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

    private Builder() {}

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
      if (hiddenSize % heads != 0 || heads % kvHeads != 0 || (hiddenSize / heads) % 2 != 0) {
        throw new IllegalArgumentException("hidden size, heads and kv heads do not divide evenly");
      }
      return new DemoModelWriter(this);
    }
  }
}
