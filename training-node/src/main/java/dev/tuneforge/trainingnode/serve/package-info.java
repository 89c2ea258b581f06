/**
 * Serving: one base model loaded once, many LoRA adapters applied per request, concurrent requests
 * decoded together in a continuous batch, and decoding constrained to valid JSON.
 */
@NullMarked
package dev.tuneforge.trainingnode.serve;

import org.jspecify.annotations.NullMarked;
