package dev.tuneforge.modelformat.gguf;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a GGUF export's weight matrices are stored as, by llama.cpp's name for the whole file (its
 * {@code general.file_type}): F16, Q8_0, or Q4_K_M, llama.cpp's mix of Q4_K with Q6_K for the
 * output matrix and for half of the layers' attn_v and ffn_down ({@code llama_tensor_get_type}'s
 * recipe). Norms, biases and rotary factors stay F32. A matrix whose rows a block type cannot hold
 * falls back as llama.cpp's quantiser falls back: Q6_K to Q8_0, then to F16; Q4_K (which llama.cpp
 * stores as Q5_0 there) to Q8_0, then to F16.
 */
public enum GgufFileType {
  F16(1, "f16"),
  Q8_0(7, "q8_0"),
  Q4_K_M(15, "q4_k_m");

  private static final Pattern LAYER = Pattern.compile("blk\\.(\\d+)\\.(.+)");

  private final int id;
  private final String suffix;

  GgufFileType(int id, String suffix) {
    this.id = id;
    this.suffix = suffix;
  }

  /** llama.cpp's {@code llama_ftype}, as {@code general.file_type} stores it. */
  public int id() {
    return id;
  }

  /**
   * The file type as llama.cpp's file names spell it: {@code f16}, {@code q8_0}, {@code q4_k_m}.
   */
  public String suffix() {
    return suffix;
  }

  /** The file type whose matrices are all {@code type}: F16 or Q8_0. */
  public static GgufFileType of(GgufType type) {
    return switch (type) {
      case F16 -> F16;
      case Q8_0 -> Q8_0;
      default ->
          throw new IllegalArgumentException(
              "GGUF export writes F16, Q8_0 or Q4_K_M weights, not " + type + " throughout");
    };
  }

  /**
   * The type a tensor is stored as.
   *
   * @param name llama.cpp's tensor name
   * @param shape PyTorch's shape, rows last
   * @param layers the model's block count
   * @param tiedOutput whether the model has no output.weight, so that llama.cpp takes token_embd as
   *     the output matrix
   */
  public GgufType tensorType(String name, long[] shape, int layers, boolean tiedOutput) {
    if (shape.length < 2) {
      return GgufType.F32;
    }
    long row = shape[shape.length - 1];
    GgufType wanted =
        switch (this) {
          case F16 -> GgufType.F16;
          case Q8_0 -> GgufType.Q8_0;
          case Q4_K_M -> q4KMixture(name, layers, tiedOutput);
        };
    if (row % wanted.blockSize() == 0) {
      return wanted;
    }
    return row % GgufType.Q8_0.blockSize() == 0 ? GgufType.Q8_0 : GgufType.F16;
  }

  private static GgufType q4KMixture(String name, int layers, boolean tiedOutput) {
    if (name.equals("output.weight") || (tiedOutput && name.equals("token_embd.weight"))) {
      return GgufType.Q6_K;
    }
    Matcher layer = LAYER.matcher(name);
    if (layer.matches()
        && (layer.group(2).equals("attn_v.weight") || layer.group(2).equals("ffn_down.weight"))
        && usesMoreBits(Integer.parseInt(layer.group(1)), layers)) {
      return GgufType.Q6_K;
    }
    return GgufType.Q4_K;
  }

  /**
   * llama.cpp's {@code use_more_bits}: the first and last eighth of the layers and every third
   * between them.
   */
  static boolean usesMoreBits(int layer, int layers) {
    return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
  }
}
