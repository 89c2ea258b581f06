/**
 * Datasets: upload with line-by-line validation, immutable versions in object storage under the
 * tenant's prefix, listing and preview. This package is the feature's API ({@link
 * dev.tuneforge.app.dataset.DatasetService}, its records and events); the sub-packages hold its
 * workings: {@code ingest} (readers per format, the normaliser), {@code quality}, {@code split},
 * {@code version}, {@code staging} (browser uploads), {@code tokens} and the views in {@code ui}.
 */
@NullMarked
package dev.tuneforge.app.dataset;

import org.jspecify.annotations.NullMarked;
