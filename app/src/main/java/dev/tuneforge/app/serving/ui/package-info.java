/** The playground: a succeeded fine-tune's and its base model's answers side by side, streaming. */
@NullMarked
package dev.tuneforge.app.serving.ui;

import org.jspecify.annotations.NullMarked;
