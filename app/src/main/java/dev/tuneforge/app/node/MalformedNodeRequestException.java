package dev.tuneforge.app.node;

/** A node API request whose body lacks what the call needs; answered 400 with the message. */
class MalformedNodeRequestException extends RuntimeException {
  MalformedNodeRequestException(String message) {
    super(message);
  }
}
