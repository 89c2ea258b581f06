/**
 * Fine-tune jobs: configuration, the OpenAI-compatible state machine, metric events from
 * nodes, live updates to open views, and the adapter download.
 */
@NullMarked
package dev.tuneforge.app.finetune;

import org.jspecify.annotations.NullMarked;
