package dev.tuneforge.app.work;

import java.time.Duration;

/**
 * Puts a run back for {@code after}, e.g. while something it needs is not ready; its row stays as
 * it is.
 */
public class TryLater extends Exception {
  private final Duration after;

  public TryLater(String why, Duration after) {
    super(why);
    this.after = after;
  }

  public Duration after() {
    return after;
  }
}
