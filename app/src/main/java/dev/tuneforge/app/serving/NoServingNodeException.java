package dev.tuneforge.app.serving;

/** No serving node took a generation within the pickup timeout: the caller gets 503. */
public class NoServingNodeException extends RuntimeException {
  NoServingNodeException(String message) {
    super(message);
  }
}
