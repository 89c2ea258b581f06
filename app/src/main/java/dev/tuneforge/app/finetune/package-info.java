/**
 * Fine-tune jobs: configuration, the lifecycle (every transition a method of {@link
 * dev.tuneforge.app.finetune.FineTuneJob} that checks the state), metric events from nodes, live
 * updates to open views, and the adapter and tuned-model downloads.
 */
@NullMarked
package dev.tuneforge.app.finetune;

import org.jspecify.annotations.NullMarked;
