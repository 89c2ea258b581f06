/**
 * The quality report gathered in the upload pass: exact and near duplicates (row hashes, SimHash),
 * token lengths, JSON answers and personal data, found and optionally redacted.
 */
@NullMarked
package dev.tuneforge.app.dataset.quality;

import org.jspecify.annotations.NullMarked;
