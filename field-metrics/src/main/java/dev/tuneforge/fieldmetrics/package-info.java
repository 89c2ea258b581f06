/**
 * Field-level scoring of JSON answers, shared by the app's evaluation and the training node's
 * evaluation during training, so that both compute the same field F1 from the same answers.
 */
@NullMarked
package dev.tuneforge.fieldmetrics;

import org.jspecify.annotations.NullMarked;
