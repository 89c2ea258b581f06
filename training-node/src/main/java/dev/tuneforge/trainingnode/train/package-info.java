/**
 * LoRA fine-tuning of a loaded model on chat JSONL: encoding, own AdamW, the training loop, PEFT
 * adapter output. The per-job child JVM entry point is {@code job.TrainingJobMain}.
 */
@NullMarked
package dev.tuneforge.trainingnode.train;

import org.jspecify.annotations.NullMarked;
