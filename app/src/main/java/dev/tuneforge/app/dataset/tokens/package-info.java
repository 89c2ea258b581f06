/**
 * Exact token lengths of a dataset version's training rows under a base model's chat template and
 * tokenizer, counted in the background, and how many rows a maximum length would truncate.
 */
@NullMarked
@NamedInterface("tokens")
package dev.tuneforge.app.dataset.tokens;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
