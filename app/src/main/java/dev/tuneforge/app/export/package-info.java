/**
 * What a finished fine-tune is taken away as: the adapter or tuned-model zip with the base's
 * tokenizer files and a model card, and a LoRA job's merged model, computed on a training node.
 */
@NullMarked
package dev.tuneforge.app.export;

import org.jspecify.annotations.NullMarked;
