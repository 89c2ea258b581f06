package dev.tuneforge.protocol;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * LoRA settings as PEFT names them: rank {@code r}, {@code alpha}, {@code dropout}, the projections
 * to adapt ({@code q_proj}, {@code k_proj}, {@code v_proj}, {@code o_proj}, {@code gate_proj},
 * {@code up_proj}, {@code down_proj}) and {@code useRslora} (PEFT's {@code use_rslora}; null or
 * missing: false), which scales the adapter by {@code alpha / sqrt(r)} instead of {@code alpha /
 * r}.
 */
public record LoraSettings(
    int r, double alpha, double dropout, List<String> targetModules, @Nullable Boolean useRslora) {

  /** Plain LoRA, scaled by {@code alpha / r}. */
  public LoraSettings(int r, double alpha, double dropout, List<String> targetModules) {
    this(r, alpha, dropout, targetModules, null);
  }

  /** Whether rank-stabilised scaling applies. */
  public boolean rslora() {
    return Boolean.TRUE.equals(useRslora);
  }

  /** The multiplier of {@code B A}: {@code alpha / sqrt(r)} with rsLoRA, else {@code alpha / r}. */
  public double scale() {
    return rslora() ? alpha / Math.sqrt(r) : alpha / r;
  }
}
