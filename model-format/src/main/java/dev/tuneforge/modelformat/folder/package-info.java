/**
 * Inspecting a Hugging Face model folder before it enters the catalogue: {@link
 * dev.tuneforge.modelformat.folder.ModelInspector} reads a {@link
 * dev.tuneforge.modelformat.folder.ModelFolder} and either describes it or refuses it, naming the
 * file and the reason.
 */
@NullMarked
package dev.tuneforge.modelformat.folder;

import org.jspecify.annotations.NullMarked;
