/**
 * How an upload's rows are divided into training and validation rows (none, random, by a field, a
 * separate file); part of the upload options other features may pass.
 */
@NullMarked
@NamedInterface("split")
package dev.tuneforge.app.dataset.split;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
