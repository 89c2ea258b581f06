package dev.tuneforge.modelformat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a Hugging Face {@code config.json} that a supported model needs. Llama, Mistral,
 * Qwen2, Qwen3 and Gemma 3 share the decoder's shape; they differ in biases, norms, activation,
 * attention windows, tied embeddings and defaults ({@link DecoderStyle}).
 *
 * @param qkvBias whether q, k and v projections carry a bias (Qwen2 always does)
 * @param ropeScaling the global layers' frequency scaling (Llama 3.1's or linear), or null for
 *     plain rotary embeddings
 * @param slidingWindow the attention window of the layers whose type is {@link #SLIDING}, or 0 when
 *     every layer attends fully
 * @param layerTypes per layer, {@link #FULL} or {@link #SLIDING} as Hugging Face's {@code
 *     layer_types} names them
 * @param torchDtype the checkpoint's dtype as the config names it ({@code float32}, {@code
 *     bfloat16}, {@code float16})
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
    int slidingWindow,
    List<String> layerTypes,
    String torchDtype,
    DecoderStyle style) {

  public static final Set<String> SUPPORTED_ARCHITECTURES =
      Set.of(
          "LlamaForCausalLM",
          "MistralForCausalLM",
          "Qwen2ForCausalLM",
          "Qwen3ForCausalLM",
          "Gemma3ForCausalLM");

  public static final String FULL = "full_attention";
  public static final String SLIDING = "sliding_attention";

  public ModelConfig {
    architectures = List.copyOf(architectures);
    layerTypes = List.copyOf(layerTypes);
    if (layerTypes.size() != numHiddenLayers || !Set.of(FULL, SLIDING).containsAll(layerTypes)) {
      throw new UnsupportedModelException(
          "layer_types must name "
              + numHiddenLayers
              + " layers, each "
              + FULL
              + " or "
              + SLIDING
              + "; got "
              + layerTypes);
    }
    if (layerTypes.contains(SLIDING) && slidingWindow <= 0) {
      throw new UnsupportedModelException(
          "sliding_attention layers need a positive sliding_window");
    }
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

  /**
   * Reads a {@code config.json}; refuses, naming the field, what this trainer does not implement.
   */
  public static ModelConfig parse(String json) {
    return ModelConfigParser.parse(json);
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
      for (String norm : style.layerNorms()) {
        shapes.put(prefix + norm + ".weight", new long[] {normSize(norm)});
      }
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

  /** The width a layer norm (one of {@link DecoderStyle#layerNorms()}) normalises. */
  public int normSize(String norm) {
    return norm.startsWith("self_attn.") ? headDim : hiddenSize;
  }

  /** The architecture, as the first of {@code architectures} names it. */
  public String architecture() {
    return architectures.getFirst();
  }

  /** The attention window of layer {@code layer}, or 0 when it attends to every earlier token. */
  public int window(int layer) {
    return layerTypes.get(layer).equals(SLIDING) ? slidingWindow : 0;
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

  /**
   * Rotary inverse frequencies per pair of head dimensions of the global (full-attention) layers,
   * scaled where the config says so.
   */
  public double[] inverseFrequencies() {
    double[] frequencies = RopeScaling.defaultFrequencies(headDim, ropeTheta);
    return ropeScaling == null ? frequencies : ropeScaling.scale(frequencies);
  }

  /**
   * Rotary inverse frequencies of layer {@code layer}: Gemma's sliding-window layers use their own
   * unscaled base, every other layer {@link #inverseFrequencies()}.
   */
  public double[] inverseFrequencies(int layer) {
    if (style.localRopeTheta() > 0 && layerTypes.get(layer).equals(SLIDING)) {
      return RopeScaling.defaultFrequencies(headDim, style.localRopeTheta());
    }
    return inverseFrequencies();
  }
}
