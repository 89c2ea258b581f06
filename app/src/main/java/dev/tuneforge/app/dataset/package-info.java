/**
 * Datasets: upload with line-by-line validation, immutable versions in object storage under
 * the tenant's prefix, listing and preview.
 */
@NullMarked
package dev.tuneforge.app.dataset;

import org.jspecify.annotations.NullMarked;
