package dev.tuneforge.app.webhook;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Quartz's periodic run of the webhook sender; also triggered when deliveries are queued. */
@DisallowConcurrentExecution
class WebhookDeliveryJob implements Job {
  static final String NAME = "webhook-deliveries";

  private final WebhookSender sender;

  WebhookDeliveryJob(WebhookSender sender) {
    this.sender = sender;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      sender.deliverDue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
