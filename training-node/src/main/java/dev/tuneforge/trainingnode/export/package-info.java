/**
 * Exports a base model with its LoRA adapter merged into the weights, as a plain Hugging Face model
 * directory that transformers, vLLM and llama.cpp's converter load without PEFT.
 */
@NullMarked
package dev.tuneforge.trainingnode.export;

import org.jspecify.annotations.NullMarked;
