package dev.tuneforge.app.dataset;

import java.util.List;

/** An upload that was refused; nothing of it was stored. */
public final class DatasetRejected extends RuntimeException {
  private final ValidationReport report;

  DatasetRejected(String message, ValidationReport report) {
    super(message);
    this.report = report;
  }

  /** A refusal for one reason, which its report lists as its only problem. */
  public static DatasetRejected because(String reason) {
    return new DatasetRejected(reason, new ValidationReport(0, List.of(reason), 1));
  }

  public ValidationReport report() {
    return report;
  }
}
