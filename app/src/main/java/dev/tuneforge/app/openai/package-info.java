/**
 * The OpenAI-compatible API under {@code /v1}: files, fine-tuning jobs and models in the shapes of
 * OpenAI's API reference, translated onto the dataset, fine-tune and catalogue services.
 */
@NullMarked
package dev.tuneforge.app.openai;

import org.jspecify.annotations.NullMarked;
