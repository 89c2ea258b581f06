/**
 * Evaluation of extraction outputs against expected JSON: validity, field-level match and
 * precision/recall/F1, ROUGE-L and token metrics, and base-versus-tuned comparisons.
 */
@NullMarked
package dev.tuneforge.app.evaluation;

import org.jspecify.annotations.NullMarked;
