package dev.tuneforge.app.finetune;

import org.jspecify.annotations.Nullable;

/**
 * A job's answer to a request to change: taken, with the line for its event log ({@code log} null:
 * a change not worth a line, such as a renewed lease), or refused, with the reason.
 */
record Transition(@Nullable String log, @Nullable String refusal) {

  static Transition logged(String line) {
    return new Transition(line, null);
  }

  static Transition quiet() {
    return new Transition(null, null);
  }

  static Transition refused(String reason) {
    return new Transition(null, reason);
  }

  boolean taken() {
    return refusal == null;
  }
}
