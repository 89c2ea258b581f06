/**
 * Reads and writes Hugging Face safetensors files in plain Java, deterministically and with {@code
 * __metadata__}; half-precision tensors become fp32 on load so they never reach DJL.
 */
@NullMarked
package dev.tuneforge.modelformat.safetensors;

import org.jspecify.annotations.NullMarked;
