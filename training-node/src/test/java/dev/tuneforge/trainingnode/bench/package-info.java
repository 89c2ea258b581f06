/**
 * Benchmarks of the trainer, run as commands ({@code bin/bench-training}), not as tests: its speed
 * against PyTorch eager on the same shapes, and whether LoRA really learns on SROIE.
 */
@NullMarked
package dev.tuneforge.trainingnode.bench;

import org.jspecify.annotations.NullMarked;
