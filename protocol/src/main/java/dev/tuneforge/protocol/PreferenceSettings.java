package dev.tuneforge.protocol;

/**
 * DPO's settings (method {@value TrainingSpec#DPO}): {@code beta}, the strength of the pull towards
 * the reference model (the base with the adapter disabled) in the sigmoid loss {@code -log
 * σ(β·((logπ(c) − logπref(c)) − (logπ(r) − logπref(r))))}, and {@code sftWeight}, the weight of an
 * added negative log-likelihood of the chosen answer per token (0: none).
 */
public record PreferenceSettings(double beta, double sftWeight) {

  public static final PreferenceSettings DEFAULTS = new PreferenceSettings(0.1, 0.0);

  public PreferenceSettings {
    if (!(beta > 0) || !Double.isFinite(beta)) {
      throw new IllegalArgumentException("DPO's beta must be above 0, not " + beta);
    }
    if (!(sftWeight >= 0) || !Double.isFinite(sftWeight)) {
      throw new IllegalArgumentException("DPO's SFT weight must be 0 or more, not " + sftWeight);
    }
  }
}
