package dev.tuneforge.app.webhook;

import java.util.Arrays;
import java.util.Optional;

/** What a webhook endpoint can be told of, by the {@code type} its deliveries carry. */
public enum WebhookEvent {
  FINE_TUNE_SUCCEEDED("fine_tuning.job.succeeded", "Fine-tune succeeded"),
  FINE_TUNE_FAILED("fine_tuning.job.failed", "Fine-tune failed"),
  FINE_TUNE_CANCELLED("fine_tuning.job.cancelled", "Fine-tune cancelled"),
  EVALUATION_READY("evaluation.ready", "Evaluation ready");

  private final String type;
  private final String title;

  WebhookEvent(String type, String title) {
    this.type = type;
    this.title = title;
  }

  /** The event's name in a delivery's {@code type} and its {@code Tuneforge-Event} header. */
  public String type() {
    return type;
  }

  /** The event in the page's words. */
  public String title() {
    return title;
  }

  static Optional<WebhookEvent> ofType(String type) {
    return Arrays.stream(values()).filter(e -> e.type.equals(type)).findFirst();
  }
}
