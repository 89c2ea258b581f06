/**
 * The platform-wide base-model catalogue: models in Hugging Face layout stored under {@code
 * models/{name}/}, shared by every tenant.
 */
@NullMarked
package dev.tuneforge.app.catalog;

import org.jspecify.annotations.NullMarked;
