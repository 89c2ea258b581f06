/**
 * The generator's view: define fields, preview rows, launch and watch generation jobs. Delegates
 * everything to {@link dev.tuneforge.app.synthetic.SyntheticDataService}.
 */
@NullMarked
package dev.tuneforge.app.synthetic.ui;

import org.jspecify.annotations.NullMarked;
