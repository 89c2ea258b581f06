package dev.tuneforge.protocol;

import java.util.List;

/**
 * LoRA settings as PEFT names them: rank {@code r}, {@code alpha}, {@code dropout} and the
 * projections to adapt ({@code q_proj}, {@code k_proj}, {@code v_proj}, {@code o_proj},
 * {@code gate_proj}, {@code up_proj}, {@code down_proj}).
 */
public record LoraSettings(int r, double alpha, double dropout, List<String> targetModules) {}
