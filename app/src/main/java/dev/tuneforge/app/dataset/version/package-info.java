/**
 * Datasets and their immutable versions as stored: the entities and repositories behind the
 * canonical files in object storage.
 */
@NullMarked
package dev.tuneforge.app.dataset.version;

import org.jspecify.annotations.NullMarked;
