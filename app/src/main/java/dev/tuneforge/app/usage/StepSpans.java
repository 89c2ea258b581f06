package dev.tuneforge.app.usage;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
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

  /**
   * The spans of those of {@code jobIds} that ran their steps in one stretch, by job; a job whose
   * span is unknown, or that resumed, is left out.
   */
  Map<UUID, StepSpan> of(Collection<UUID> jobIds);
}
