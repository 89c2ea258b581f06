package dev.tuneforge.modelformat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parts of a Hugging Face {@code config.json} that a supported model needs. Llama, Mistral and
 * Qwen2 share that shape; they differ in biases, tied embeddings and defaults.
 *
 * @param qkvBias whether q, k and v projections carry a bias (Qwen2 always does)
 * @param ropeScaling Llama 3.1's frequency scaling, or null for plain rotary embeddings
 * @param slidingWindow the attention window, or 0 when attention is full; sequences up to the
 *     window are computed exactly, longer ones are refused
 */
public record ModelConfig(
    List<String> architectures,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int headDim,
    int vocabSize,
    double rmsNormEps,
    double ropeTheta,
    int maxPositionEmbeddings,
    boolean tieWordEmbeddings,
    boolean qkvBias,
    @Nullable RopeScaling ropeScaling,
    int slidingWindow) {

  public static final Set<String> SUPPORTED_ARCHITECTURES =
      Set.of("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public ModelConfig {
    architectures = List.copyOf(architectures);
    if (numAttentionHeads <= 0
        || numKeyValueHeads <= 0
        || numAttentionHeads % numKeyValueHeads != 0) {
      throw new UnsupportedModelException(
          "num_attention_heads "
              + numAttentionHeads
              + " is not a multiple of num_key_value_heads "
              + numKeyValueHeads);
    }
    if (headDim <= 0 || headDim % 2 != 0) {
      throw new UnsupportedModelException(
          "head_dim " + headDim + " is not positive and even, as rotary embeddings need");
    }
  }

  public static ModelConfig read(Path configJson) throws IOException {
    if (!Files.isRegularFile(configJson)) {
      throw new UnsupportedModelException("the model directory has no config.json");
    }
    return parse(Files.readString(configJson));
  }

  public static ModelConfig parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new UnsupportedModelException(
          "config.json is not valid JSON: " + e.getOriginalMessage());
    }
    List<String> architectures = new ArrayList<>();
    root.path("architectures").forEach(a -> architectures.add(a.asString()));
    String architecture = architectures.isEmpty() ? "(none given)" : architectures.getFirst();
    if (!SUPPORTED_ARCHITECTURES.contains(architecture)) {
      throw new UnsupportedModelException(
          "unsupported architecture "
              + architecture
              + "; supported: "
              + String.join(", ", SUPPORTED_ARCHITECTURES.stream().sorted().toList()));
    }
    boolean qwen2 = architecture.equals("Qwen2ForCausalLM");
    // Qwen2 and Mistral define no attention_bias: Qwen2 hard-wires q/k/v biases, Mistral none.
    if (!qwen2 && root.path("attention_bias").asBoolean(false)
        || root.path("mlp_bias").asBoolean(false)) {
      throw new UnsupportedModelException("attention_bias and mlp_bias are not supported yet");
    }
    String activation = root.path("hidden_act").asString("silu");
    if (!activation.equals("silu")) {
      throw new UnsupportedModelException(
          "hidden_act " + activation + " is not supported; supported: silu");
    }
    JsonNode rope =
        root.has("rope_parameters") ? root.path("rope_parameters") : root.path("rope_scaling");
    int hidden = required(root, "hidden_size");
    int heads = required(root, "num_attention_heads");
    return new ModelConfig(
        architectures,
        hidden,
        required(root, "intermediate_size"),
        required(root, "num_hidden_layers"),
        heads,
        root.path("num_key_value_heads").isNumber()
            ? root.path("num_key_value_heads").asInt()
            : heads,
        root.path("head_dim").isNumber() ? root.path("head_dim").asInt() : hidden / heads,
        required(root, "vocab_size"),
        root.path("rms_norm_eps").asDouble(1e-6),
        root.path("rope_theta").asDouble(rope.path("rope_theta").asDouble(10000.0)),
        root.path("max_position_embeddings").asInt(2048),
        root.path("tie_word_embeddings").asBoolean(false),
        qwen2,
        RopeScaling.parse(rope),
        slidingWindow(root, architecture));
  }

  /**
   * Mistral applies {@code sliding_window} whenever it is set, Qwen2 only with use_sliding_window,
   * Llama never.
   */
  private static int slidingWindow(JsonNode root, String architecture) {
    JsonNode window = root.path("sliding_window");
    boolean applies =
        switch (architecture) {
          case "MistralForCausalLM" -> true;
          case "Qwen2ForCausalLM" -> root.path("use_sliding_window").asBoolean(false);
          default -> false;
        };
    if (!applies || !window.isNumber()) {
      return 0;
    }
    if (window.asInt() <= 0) {
      throw new UnsupportedModelException("sliding_window " + window.asInt() + " is not positive");
    }
    return window.asInt();
  }

  private static int required(JsonNode root, String field) {
    JsonNode node = root.path(field);
    if (!node.isNumber() || node.asInt() <= 0) {
      throw new UnsupportedModelException("config.json lacks a positive " + field);
    }
    return node.asInt();
  }

  /** The projections of one decoder layer, in PEFT's usual order. */
  public static final List<String> PROJECTIONS =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  /**
   * Every tensor a checkpoint of this config holds, by Hugging Face name, with its shape: what
   * loading needs and what an import checks the safetensors headers against. A tied lm_head is not
   * listed (Hugging Face ignores a stored one).
   */
  public SortedMap<String, long[]> tensorShapes() {
    SortedMap<String, long[]> shapes = new TreeMap<>();
    shapes.put("model.embed_tokens.weight", new long[] {vocabSize, hiddenSize});
    shapes.put("model.norm.weight", new long[] {hiddenSize});
    if (!tieWordEmbeddings) {
      shapes.put("lm_head.weight", new long[] {vocabSize, hiddenSize});
    }
    for (int i = 0; i < numHiddenLayers; i++) {
      String prefix = "model.layers." + i + ".";
      shapes.put(prefix + "input_layernorm.weight", new long[] {hiddenSize});
      shapes.put(prefix + "post_attention_layernorm.weight", new long[] {hiddenSize});
      for (String projection : PROJECTIONS) {
        long[] shape = projectionShape(projection);
        String path = prefix + projectionModule(projection) + projection;
        shapes.put(path + ".weight", shape);
        if (hasBias(projection)) {
          shapes.put(path + ".bias", new long[] {shape[0]});
        }
      }
    }
    return shapes;
  }

  /** The weight shape {@code [out, in]} of one of the {@link #PROJECTIONS}. */
  public long[] projectionShape(String projection) {
    long attention = (long) numAttentionHeads * headDim;
    long keyValue = (long) numKeyValueHeads * headDim;
    return switch (projection) {
      case "q_proj" -> new long[] {attention, hiddenSize};
      case "k_proj", "v_proj" -> new long[] {keyValue, hiddenSize};
      case "o_proj" -> new long[] {hiddenSize, attention};
      case "gate_proj", "up_proj" -> new long[] {intermediateSize, hiddenSize};
      case "down_proj" -> new long[] {hiddenSize, intermediateSize};
      default -> throw new IllegalArgumentException("unknown projection " + projection);
    };
  }

  /** Whether one of the {@link #PROJECTIONS} carries a bias: q, k and v where qkvBias says so. */
  public boolean hasBias(String projection) {
    return qkvBias
        && (projection.equals("q_proj")
            || projection.equals("k_proj")
            || projection.equals("v_proj"));
  }

  /** The submodule a projection lives in: {@code mlp.} or {@code self_attn.}. */
  public static String projectionModule(String projection) {
    return switch (projection) {
      case "gate_proj", "up_proj", "down_proj" -> "mlp.";
      default -> "self_attn.";
    };
  }

  /** Rotary inverse frequencies per pair of head dimensions, scaled where the config says so. */
  public double[] inverseFrequencies() {
    double[] frequencies = RopeScaling.defaultFrequencies(headDim, ropeTheta);
    return ropeScaling == null ? frequencies : ropeScaling.scale(frequencies);
  }
}
