package dev.tuneforge.trainingnode.train;

/** A checkpoint that cannot be written, read or resumed from; the message says why. */
public final class CheckpointException extends RuntimeException {

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
