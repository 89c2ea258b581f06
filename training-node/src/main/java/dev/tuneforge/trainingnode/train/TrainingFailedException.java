package dev.tuneforge.trainingnode.train;

/** A run that cannot go on, such as a loss that became NaN; the message is shown to the user. */
public final class TrainingFailedException extends RuntimeException {

  public TrainingFailedException(String message) {
    super(message);
  }
}
