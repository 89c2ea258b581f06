package dev.tuneforge.modelformat.folder;

import org.jspecify.annotations.Nullable;

/**
 * What the person importing a model chose beside its files.
 *
 * @param chatTemplateFamily the chat template for a folder that carries none; a folder's own
 *     template always wins
 */
public record InspectOptions(@Nullable ChatTemplateFamily chatTemplateFamily) {

  public static InspectOptions defaults() {
    return new InspectOptions(null);
  }
}
