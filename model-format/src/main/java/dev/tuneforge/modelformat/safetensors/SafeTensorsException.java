package dev.tuneforge.modelformat.safetensors;

/** A safetensors file that cannot be read as one: the message says what is wrong with it. */
public final class SafeTensorsException extends RuntimeException {

  public SafeTensorsException(String message) {
    super(message);
  }
}
