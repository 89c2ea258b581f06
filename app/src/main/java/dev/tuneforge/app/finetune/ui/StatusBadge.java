package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.html.Span;
import dev.tuneforge.app.finetune.JobStatus;

/** A job's status as a coloured badge. */
final class StatusBadge {
  private StatusBadge() {}

  static Span of(JobStatus status) {
    Span badge = new Span(status.wire());
    badge.getElement().getThemeList().add("badge");
    switch (status) {
      case SUCCEEDED -> badge.getElement().getThemeList().add("success");
      case FAILED -> badge.getElement().getThemeList().add("error");
      case CANCELLED -> badge.getElement().getThemeList().add("contrast");
      default -> {}
    }
    badge.addClassName("job-status");
    return badge;
  }
}
