package dev.tuneforge.modelformat.folder;

/** Why a model folder cannot be imported: the file at fault and the reason, for the user. */
public final class ModelRejectedException extends RuntimeException {
  private final String file;
  private final String reason;

  public ModelRejectedException(String file, String reason) {
    super(file + ": " + reason);
    this.file = file;
    this.reason = reason;
  }

  /** The file at fault, relative to the folder ("(folder)" when it concerns the whole). */
  public String file() {
    return file;
  }

  public String reason() {
    return reason;
  }
}
