package dev.tuneforge.modelformat.gguf;

import dev.tuneforge.modelformat.DecoderStyle;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.RopeScaling;
import dev.tuneforge.modelformat.UnsupportedModelException;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face model folder (Llama, Mistral, Qwen2, Qwen3 with a byte-level BPE tokenizer; Gemma
 * 3 text models with SentencePiece's) as one GGUF file that llama.cpp and Ollama load: llama.cpp's
 * architecture names, metadata keys and tensor names, the tokenizer and chat template in the
 * metadata, weight matrices in F16, Q8_0 or Q4_K_M, norms and biases in F32. For the {@code llama}
 * architecture the q and k rows are permuted from Hugging Face's rotary layout (halves) to ggml's
 * (interleaved pairs), as llama.cpp's converter does; Qwen and Gemma keep Hugging Face's layout
 * (llama.cpp rotates them NeoX-style). Gemma's norm weights are stored plus one, as llama.cpp's
 * converter stores them. Reads the weights once; each {@link #write} writes one file.
 */
public final class GgufExport {

  private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)");
  private static final Map<String, String> LAYER_TENSORS =
      Map.ofEntries(
          Map.entry("input_layernorm", "attn_norm"),
          Map.entry("post_attention_layernorm", "ffn_norm"),
          Map.entry("self_attn.q_proj", "attn_q"),
          Map.entry("self_attn.k_proj", "attn_k"),
          Map.entry("self_attn.v_proj", "attn_v"),
          Map.entry("self_attn.o_proj", "attn_output"),
          Map.entry("self_attn.q_norm", "attn_q_norm"),
          Map.entry("self_attn.k_norm", "attn_k_norm"),
          Map.entry("mlp.gate_proj", "ffn_gate"),
          Map.entry("mlp.up_proj", "ffn_up"),
          Map.entry("mlp.down_proj", "ffn_down"));
  // Gemma's four norms a layer: llama.cpp's ffn_norm is the one before the MLP there.
  private static final Map<String, String> GEMMA_NORMS =
      Map.of(
          "post_attention_layernorm", "post_attention_norm",
          "pre_feedforward_layernorm", "ffn_norm",
          "post_feedforward_layernorm", "post_ffw_norm");
  private static final int GEMMA_LOCAL_ROPE_BASE = 10_000;
  private static final int GEMMA_GLOBAL_EVERY = 6;

  private final Path folder;
  private final ModelConfig config;
  private final String architecture;
  private final Map<String, Tensor> weights;

  private GgufExport(Path folder, ModelConfig config, Map<String, Tensor> weights) {
    this.folder = folder;
    this.config = config;
    this.architecture = architecture(config);
    this.weights = weights;
  }

  /**
   * Reads the folder's config and weights.
   *
   * @throws UnsupportedModelException for an architecture, tokenizer or weight GGUF export cannot
   *     take, saying which
   */
  public static GgufExport read(Path folder) throws IOException {
    ModelConfig config = ModelConfig.read(folder.resolve("config.json"));
    Map<String, Tensor> weights = SafeTensors.readFolder(folder);
    SortedMap<String, long[]> expected = config.tensorShapes();
    for (Map.Entry<String, long[]> tensor : expected.entrySet()) {
      Tensor found = weights.get(tensor.getKey());
      if (found == null || !Arrays.equals(found.shape(), tensor.getValue())) {
        throw new UnsupportedModelException(
            "the weights have "
                + (found == null ? "no " + tensor.getKey() : tensor.getKey() + " " + found)
                + " where config.json implies "
                + Arrays.toString(tensor.getValue()));
      }
    }
    weights.keySet().retainAll(expected.keySet());
    return new GgufExport(folder, config, weights);
  }

  /** llama.cpp's name for the architecture: llama (also Mistral's), qwen2 or qwen3. */
  static String architecture(ModelConfig config) {
    return switch (config.architecture()) {
      case "LlamaForCausalLM", "MistralForCausalLM" -> "llama";
      case "Qwen2ForCausalLM" -> "qwen2";
      case "Qwen3ForCausalLM" -> "qwen3";
      case "Gemma3ForCausalLM" -> "gemma3";
      default ->
          throw new UnsupportedModelException(
              "GGUF export takes Llama, Mistral, Qwen2, Qwen3 and Gemma 3 models, not "
                  + config.architecture());
    };
  }

  /**
   * Writes the GGUF file with every weight matrix in one type.
   *
   * @param type F16 or Q8_0 for the weight matrices (a matrix whose rows Q8_0 cannot block stays
   *     F16)
   * @param name {@code general.name}
   */
  public void write(Path file, GgufType type, String name) throws IOException {
    write(file, GgufFileType.of(type), name);
  }

  /**
   * Writes the GGUF file.
   *
   * @param fileType the weight matrices' types, chosen per tensor as llama.cpp's quantiser does
   * @param name {@code general.name}
   */
  public void write(Path file, GgufFileType fileType, String name) throws IOException {
    GgufWriter gguf = new GgufWriter();
    gguf.put("general.architecture", architecture);
    gguf.put("general.name", name);
    gguf.put("general.file_type", fileType.id());
    gguf.put("general.quantization_version", 2);
    String arch = architecture + ".";
    gguf.put(arch + "vocab_size", config.vocabSize());
    gguf.put(arch + "context_length", config.maxPositionEmbeddings());
    gguf.put(arch + "embedding_length", config.hiddenSize());
    gguf.put(arch + "block_count", config.numHiddenLayers());
    gguf.put(arch + "feed_forward_length", config.intermediateSize());
    gguf.put(arch + "attention.head_count", config.numAttentionHeads());
    gguf.put(arch + "attention.head_count_kv", config.numKeyValueHeads());
    gguf.put(arch + "attention.key_length", config.headDim());
    gguf.put(arch + "attention.value_length", config.headDim());
    gguf.put(arch + "rope.dimension_count", config.headDim());
    gguf.put(arch + "rope.freq_base", (float) config.ropeTheta());
    gguf.put(arch + "attention.layer_norm_rms_epsilon", (float) config.rmsNormEps());
    if (gemma()) {
      putGemma(gguf);
    }
    GgufVocabulary.put(gguf, folder, config.vocabSize(), preTokenizer());
    RopeScaling scaling = config.ropeScaling();
    if (scaling != null) {
      if (!architecture.equals("llama")) {
        throw new UnsupportedModelException(
            "config.json: rope_scaling on " + config.architecture() + " has no GGUF export yet");
      }
      gguf.addTensor(
          "rope_freqs.weight", new long[] {config.headDim() / 2}, ropeFactors(), GgufType.F32);
    }
    for (Map.Entry<String, Tensor> entry : new TreeMap<>(weights).entrySet()) {
      String ggufName = tensorName(entry.getKey(), gemma());
      Tensor tensor = entry.getValue();
      float[] values = tensor.values();
      if (gemma() && ggufName.endsWith("norm.weight")) {
        values = plusOne(values);
      }
      if (architecture.equals("llama")
          && ggufName.matches("blk\\.\\d+\\.attn_[qk]\\.(weight|bias)")) {
        int heads =
            ggufName.contains("attn_q") ? config.numAttentionHeads() : config.numKeyValueHeads();
        values = permuteRotaryRows(values, heads, config.headDim());
      }
      GgufType stored =
          fileType.tensorType(
              ggufName, tensor.shape(), config.numHiddenLayers(), config.tieWordEmbeddings());
      gguf.addTensor(ggufName, tensor.shape(), values, stored);
    }
    gguf.write(file);
  }

  private boolean gemma() {
    return architecture.equals("gemma3");
  }

  /**
   * What llama.cpp's gemma3 takes from the file, and what it fixes: a sliding-window layer every
   * layer but each sixth, whose rotary base is 10000; attention scaled by head_dim^-0.5; no
   * soft-capping. A model that differs would run differently there, so it is refused.
   */
  private void putGemma(GgufWriter gguf) {
    DecoderStyle style = config.style();
    for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
      boolean global = (layer + 1) % GEMMA_GLOBAL_EVERY == 0 || config.slidingWindow() == 0;
      if (global != config.layerTypes().get(layer).equals(ModelConfig.FULL)) {
        throw new UnsupportedModelException(
            "config.json: layer_types "
                + config.layerTypes()
                + " is not llama.cpp's Gemma 3 pattern (every sixth layer full_attention)");
      }
    }
    if (config.slidingWindow() > 0 && style.localRopeTheta() != GEMMA_LOCAL_ROPE_BASE) {
      throw new UnsupportedModelException(
          "config.json: rope_local_base_freq "
              + style.localRopeTheta()
              + " is not the 10000 llama.cpp's Gemma 3 uses");
    }
    if (Math.abs(style.queryScale() * Math.sqrt(config.headDim()) - 1) > 1e-9) {
      throw new UnsupportedModelException(
          "config.json: query_pre_attn_scalar is not head_dim "
              + config.headDim()
              + ", which llama.cpp's Gemma 3 scales attention by");
    }
    if (style.attnLogitSoftcapping() > 0 || style.finalLogitSoftcapping() > 0) {
      throw new UnsupportedModelException(
          "config.json: llama.cpp's Gemma 3 does not soft-cap logits");
    }
    if (config.slidingWindow() > 0) {
      gguf.put("gemma3.attention.sliding_window", config.slidingWindow());
    }
  }

  /** Gemma's RMSNorm multiplies by {@code 1 + weight}; llama.cpp's by the stored weight. */
  private static float[] plusOne(float[] values) {
    float[] shifted = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      shifted[i] = values[i] + 1;
    }
    return shifted;
  }

  /**
   * llama.cpp's tensor name for a Hugging Face one of a Llama, Mistral or Qwen model.
   *
   * @throws UnsupportedModelException for a tensor llama.cpp has no name for
   */
  static String tensorName(String huggingFace) {
    return tensorName(huggingFace, false);
  }

  /**
   * llama.cpp's tensor name for a Hugging Face one, of a Gemma 3 model where {@code gemma}.
   *
   * @throws UnsupportedModelException for a tensor llama.cpp has no name for
   */
  static String tensorName(String huggingFace, boolean gemma) {
    switch (huggingFace) {
      case "model.embed_tokens.weight" -> {
        return "token_embd.weight";
      }
      case "model.norm.weight" -> {
        return "output_norm.weight";
      }
      case "lm_head.weight" -> {
        return "output.weight";
      }
      default -> {}
    }
    Matcher layer = LAYER.matcher(huggingFace);
    if (layer.matches()) {
      String rest = layer.group(2);
      int dot = rest.lastIndexOf('.');
      String module = rest.substring(0, dot);
      String mapped =
          gemma && GEMMA_NORMS.containsKey(module)
              ? GEMMA_NORMS.get(module)
              : LAYER_TENSORS.get(module);
      if (mapped != null) {
        return "blk." + layer.group(1) + "." + mapped + rest.substring(dot);
      }
    }
    throw new UnsupportedModelException("GGUF export has no llama.cpp name for " + huggingFace);
  }

  /**
   * Hugging Face rotates the two halves of each head; ggml's {@code llama} rotates adjacent pairs:
   * row {@code h·d + 2i + j} of the result is row {@code h·d + j·d/2 + i} of the input.
   */
  static float[] permuteRotaryRows(float[] values, int heads, int headDim) {
    int columns = values.length / (heads * headDim);
    float[] permuted = new float[values.length];
    int half = headDim / 2;
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < half; i++) {
        for (int j = 0; j < 2; j++) {
          int to = h * headDim + 2 * i + j;
          int from = h * headDim + j * half + i;
          System.arraycopy(values, from * columns, permuted, to * columns, columns);
        }
      }
    }
    return permuted;
  }

  /** What ggml divides each rotary frequency by: the unscaled frequency over the scaled one. */
  private float[] ropeFactors() {
    double[] plain = RopeScaling.defaultFrequencies(config.headDim(), config.ropeTheta());
    double[] scaled = config.inverseFrequencies();
    float[] factors = new float[plain.length];
    for (int i = 0; i < plain.length; i++) {
      factors[i] = (float) (plain[i] / scaled[i]);
    }
    return factors;
  }

  /**
   * llama.cpp's name for the pre-tokenizer: Qwen's splits digits one by one, Llama 3's in threes,
   * SmolLM2's (a Llama architecture) is GPT-2's.
   */
  private String preTokenizer() throws IOException {
    if (gemma()) {
      return "default";
    }
    if (!architecture.equals("llama")) {
      return "qwen2";
    }
    String tokenizer = Files.readString(folder.resolve("tokenizer.json"));
    return tokenizer.contains("\\\\p{N}{1,3}") ? "llama-bpe" : "smollm";
  }
}
