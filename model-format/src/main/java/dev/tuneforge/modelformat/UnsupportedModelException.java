package dev.tuneforge.modelformat;

/**
 * A model directory this trainer cannot train; the message names what is missing or unsupported.
 */
public final class UnsupportedModelException extends RuntimeException {

  public UnsupportedModelException(String message) {
    super(message);
  }
}
