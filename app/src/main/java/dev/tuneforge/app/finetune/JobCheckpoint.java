package dev.tuneforge.app.finetune;

import dev.tuneforge.protocol.JobEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A checkpoint of a job that reached storage, with the training loss of its step (the last one
 * reported up to it) and the validation loss measured at it, when there was one.
 */
public record JobCheckpoint(
    int step, Instant at, @Nullable Double trainLoss, @Nullable Double validationLoss) {
  private static final Pattern SAVED = Pattern.compile("checkpoint step-(\\d+) saved");

  /** The line the job's event log gets when a checkpoint of {@code step} is in storage. */
  static String savedLine(int step) {
    return "checkpoint step-" + step + " saved";
  }

  /** The checkpoints a job's events (in order) tell of, in the order they were saved. */
  static List<JobCheckpoint> of(List<JobEventRecord> events) {
    List<JobCheckpoint> checkpoints = new ArrayList<>();
    for (JobEventRecord event : events) {
      Matcher saved =
          event.getType() == JobEvent.Type.LOG && event.getMessage() != null
              ? SAVED.matcher(event.getMessage())
              : null;
      if (saved != null && saved.matches()) {
        int step = Integer.parseInt(saved.group(1));
        checkpoints.add(
            new JobCheckpoint(
                step,
                event.getAt(),
                lossUpTo(events, JobEvent.Type.METRIC, step),
                lossAt(events, step)));
      }
    }
    return checkpoints;
  }

  private static @Nullable Double lossUpTo(
      List<JobEventRecord> events, JobEvent.Type type, int step) {
    Double loss = null;
    for (JobEventRecord e : events) {
      if (e.getType() == type
          && e.getStep() != null
          && e.getStep() <= step
          && e.getLoss() != null) {
        loss = e.getLoss();
      }
    }
    return loss;
  }

  private static @Nullable Double lossAt(List<JobEventRecord> events, int step) {
    return events.stream()
        .filter(e -> e.getType() == JobEvent.Type.VALIDATION && e.getStep() != null)
        .filter(e -> e.getStep() == step && e.getLoss() != null)
        .map(JobEventRecord::getLoss)
        .reduce((first, last) -> last)
        .orElse(null);
  }
}
