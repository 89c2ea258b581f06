/**
 * Synthetic datasets for information extraction: documents generated from a field schema with exact
 * ground-truth JSON, written by a background job into a dataset version.
 */
@NullMarked
package dev.tuneforge.app.synthetic;

import org.jspecify.annotations.NullMarked;
