package dev.tuneforge.modelformat.folder;

import org.jspecify.annotations.Nullable;

/**
 * What the person importing a model chose beside its files.
 *
 * @param chatTemplateFamily the chat template for a folder that carries none, or whose own the
 *     platform cannot render for training; a folder's own template that renders always wins
 */
public record InspectOptions(@Nullable ChatTemplateFamily chatTemplateFamily) {

  public static InspectOptions defaults() {
    return new InspectOptions(null);
  }
}
