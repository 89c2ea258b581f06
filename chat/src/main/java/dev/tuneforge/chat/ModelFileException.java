package dev.tuneforge.chat;

/**
 * A model file the chat code cannot read (tokenizer_config.json); the message says what is wrong.
 */
public final class ModelFileException extends RuntimeException {

  public ModelFileException(String message) {
    super(message);
  }
}
