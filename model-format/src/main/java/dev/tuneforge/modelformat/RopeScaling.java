package dev.tuneforge.modelformat;

import tools.jackson.databind.JsonNode;

/**
 * A rotary frequency scaling. Llama 3.1's ({@code rope_type: "llama3"}): wavelengths beyond the
 * original context are stretched by {@code factor}, short ones kept, and those in between blended,
 * as Hugging Face's {@code _compute_llama3_parameters} defines it. Linear ({@code rope_type:
 * "linear"}, Gemma 3's bigger models on their global layers): every frequency divided by {@code
 * factor}, the other fields unused.
 */
public record RopeScaling(
    String type,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositionEmbeddings) {

  public static final String LLAMA3 = "llama3";
  public static final String LINEAR = "linear";

  /** Llama 3.1's scaling. */
  public RopeScaling(
      double factor,
      double lowFreqFactor,
      double highFreqFactor,
      int originalMaxPositionEmbeddings) {
    this(LLAMA3, factor, lowFreqFactor, highFreqFactor, originalMaxPositionEmbeddings);
  }

  /** Every frequency divided by {@code factor}. */
  public static RopeScaling linear(double factor) {
    return new RopeScaling(LINEAR, factor, 0, 0, 0);
  }

  public RopeScaling {
    if (type.equals(LINEAR)) {
      if (factor <= 0) {
        throw new UnsupportedModelException("rope_scaling linear needs factor > 0");
      }
    } else if (!type.equals(LLAMA3)) {
      throw new UnsupportedModelException("rope_scaling of type " + type + " is not supported");
    } else if (factor <= 0
        || lowFreqFactor <= 0
        || highFreqFactor <= lowFreqFactor
        || originalMaxPositionEmbeddings <= 0) {
      throw new UnsupportedModelException(
          "rope_scaling llama3 needs factor > 0, 0 < low_freq_factor < high_freq_factor and"
              + " original_max_position_embeddings > 0");
    }
  }

  /** Inverse frequencies of an unscaled rotary embedding: {@code theta^(-2i/headDim)}. */
  public static double[] defaultFrequencies(int headDim, double theta) {
    double[] frequencies = new double[headDim / 2];
    for (int i = 0; i < frequencies.length; i++) {
      frequencies[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
    }
    return frequencies;
  }

  public double[] scale(double[] frequencies) {
    if (type.equals(LINEAR)) {
      double[] scaled = new double[frequencies.length];
      for (int i = 0; i < frequencies.length; i++) {
        scaled[i] = frequencies[i] / factor;
      }
      return scaled;
    }
    double lowFrequencyWavelength = originalMaxPositionEmbeddings / lowFreqFactor;
    double highFrequencyWavelength = originalMaxPositionEmbeddings / highFreqFactor;
    double[] scaled = new double[frequencies.length];
    for (int i = 0; i < frequencies.length; i++) {
      double frequency = frequencies[i];
      double wavelength = 2 * Math.PI / frequency;
      if (wavelength < highFrequencyWavelength) {
        scaled[i] = frequency;
      } else if (wavelength > lowFrequencyWavelength) {
        scaled[i] = frequency / factor;
      } else {
        double smooth =
            (originalMaxPositionEmbeddings / wavelength - lowFreqFactor)
                / (highFreqFactor - lowFreqFactor);
        scaled[i] = (1 - smooth) * frequency / factor + smooth * frequency;
      }
    }
    return scaled;
  }

  /**
   * Reads {@code rope_scaling} (or the newer {@code rope_parameters}); null for none or {@code
   * "default"}, refused for the kinds this trainer does not implement.
   */
  static @org.jspecify.annotations.Nullable RopeScaling parse(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    String type = node.path("rope_type").asString(node.path("type").asString("default"));
    return switch (type) {
      case "default" -> null;
      case "llama3" ->
          new RopeScaling(
              node.path("factor").asDouble(0),
              node.path("low_freq_factor").asDouble(0),
              node.path("high_freq_factor").asDouble(0),
              node.path("original_max_position_embeddings").asInt(0));
      case "linear" -> linear(node.path("factor").asDouble(0));
      default ->
          throw new UnsupportedModelException(
              "rope_scaling of type "
                  + type
                  + " is not supported; supported: none, default, llama3, linear");
    };
  }
}
