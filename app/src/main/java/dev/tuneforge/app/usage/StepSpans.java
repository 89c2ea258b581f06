package dev.tuneforge.app.usage;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * When a finished job's training steps ran, as the job feature knows from the node's step metrics:
 * what the steps took apart from starting the job and delivering its result.
 */
public interface StepSpans {

  /**
   * The steps at their steady speed, from the end of the first step to the end of the last (of a
   * run of one step: that step), with the tokens trained between; validation and checkpoints
   * between steps are inside it.
   */
  record StepSpan(Duration duration, long tokens) {}

  /** The span of a job that ran its steps in one stretch; empty when unknown or resumed. */
  Optional<StepSpan> of(UUID jobId);
}
