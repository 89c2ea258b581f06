package dev.tuneforge.chat;

/** A dataset that cannot be trained on; the message names the line and what is wrong with it. */
public final class DatasetException extends RuntimeException {

  public DatasetException(String message) {
    super(message);
  }

  public static DatasetException atLine(int line, String problem) {
    return new DatasetException("line " + line + " of the dataset: " + problem);
  }
}
