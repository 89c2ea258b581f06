package dev.tuneforge.app.finetune;

/**
 * The states of OpenAI's fine-tuning API, so its clients map one to one. {@code PAUSED}: stopped at
 * a checkpoint because the tenant's monthly budget was spent; it resumes when the budget allows.
 */
public enum JobStatus {
  VALIDATING_FILES,
  QUEUED,
  RUNNING,
  PAUSED,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public boolean finished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
