/**
 * The wire contract between the app and its training nodes: JSON bodies of the node API and the job
 * specification handed to a training run. Records and nothing else.
 */
@NullMarked
package dev.tuneforge.protocol;

import org.jspecify.annotations.NullMarked;
