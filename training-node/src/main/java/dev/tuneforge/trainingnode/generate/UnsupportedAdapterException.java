package dev.tuneforge.trainingnode.generate;

/** An adapter directory that cannot be applied to the model; the message says why. */
public final class UnsupportedAdapterException extends RuntimeException {

  public UnsupportedAdapterException(String message) {
    super(message);
  }
}
