/**
 * Llama-shaped causal language models in DJL NDArray ops with LoRA on chosen projections, loaded
 * from Hugging Face directories, and a tiny generated demo model for tests and demos.
 */
@NullMarked
package dev.tuneforge.trainingnode.model;

import org.jspecify.annotations.NullMarked;
