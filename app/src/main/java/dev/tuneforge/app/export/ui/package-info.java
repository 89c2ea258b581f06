/** The merged export's part of a fine-tune's page. */
@NullMarked
package dev.tuneforge.app.export.ui;

import org.jspecify.annotations.NullMarked;
