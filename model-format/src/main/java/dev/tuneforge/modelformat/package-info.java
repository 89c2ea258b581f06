/**
 * Hugging Face model folders as both the app and the training node read them: {@code config.json}
 * per supported architecture, Llama 3.1 rope scaling, and the refusals a model that cannot be
 * trained gets. Plain Java: no engine, no Spring.
 */
@NullMarked
package dev.tuneforge.modelformat;

import org.jspecify.annotations.NullMarked;
