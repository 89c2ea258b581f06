/** How much device memory a training job needs, by part, before it is dispatched. */
@NullMarked
package dev.tuneforge.modelformat.memory;

import org.jspecify.annotations.NullMarked;
