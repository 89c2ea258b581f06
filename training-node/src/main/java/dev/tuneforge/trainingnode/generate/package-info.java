/**
 * Text generation with a loaded model, its LoRA adapter on or off: KV-cached greedy and sampled
 * decoding for evaluation and the playground, and loading PEFT adapters for inference.
 */
@NullMarked
package dev.tuneforge.trainingnode.generate;

import org.jspecify.annotations.NullMarked;
