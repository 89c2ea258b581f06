package dev.tuneforge.app.finetune;

/** The states of OpenAI's fine-tuning API, so its clients map one to one. */
public enum JobStatus {
  VALIDATING_FILES,
  QUEUED,
  RUNNING,
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
