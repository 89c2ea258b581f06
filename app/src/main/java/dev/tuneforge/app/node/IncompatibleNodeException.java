package dev.tuneforge.app.node;

/**
 * A node that speaks another version of the node protocol than this app; the message says which.
 */
class IncompatibleNodeException extends RuntimeException {
  IncompatibleNodeException(String message) {
    super(message);
  }
}
