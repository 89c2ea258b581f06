package dev.tuneforge.app.dataset;

/** An upload that was refused; nothing of it was stored. */
public final class DatasetRejected extends RuntimeException {
  private final ValidationReport report;

  DatasetRejected(String message, ValidationReport report) {
    super(message);
    this.report = report;
  }

  public ValidationReport report() {
    return report;
  }
}
