/**
 * What a job shows about its adapter: the base and the tuned model side by side on held-out
 * examples after training, and sample answers while it trains.
 */
@NullMarked
package dev.tuneforge.trainingnode.evaluate;

import org.jspecify.annotations.NullMarked;
