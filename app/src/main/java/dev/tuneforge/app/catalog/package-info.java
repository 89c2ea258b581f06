/**
 * The base-model catalogue: Hugging Face model folders in object storage, validated on import,
 * owned by the platform (every tenant sees them) or by one tenant (no other tenant does).
 */
@NullMarked
package dev.tuneforge.app.catalog;

import org.jspecify.annotations.NullMarked;
