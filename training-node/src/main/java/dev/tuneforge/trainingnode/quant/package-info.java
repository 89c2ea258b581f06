/**
 * 4-bit NormalFloat (NF4) quantisation of frozen base weights, as QLoRA and bitsandbytes define it,
 * in plain Java: no engine is needed to quantise or dequantise.
 */
@NullMarked
package dev.tuneforge.trainingnode.quant;

import org.jspecify.annotations.NullMarked;
