package dev.tuneforge.app.webhook;

import dev.tuneforge.app.evaluation.EvaluationReady;
import dev.tuneforge.app.finetune.FineTuneFinished;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a delivery row for each endpoint that wants an event, once the event's transaction has
 * committed; the module event stays incomplete (and is handed back) until the rows are written, so
 * an event is neither lost nor queued twice. Then asks the sender to run soon.
 */
@Component
class WebhookOutbox {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final WebhookEndpointRepository endpoints;
  private final WebhookDeliveryRepository deliveries;
  private final FineTuneService fineTunes;
  private final TransactionTemplate transactions;
  private final WebhookSender sender;
  private final Clock clock;

  WebhookOutbox(
      WebhookEndpointRepository endpoints,
      WebhookDeliveryRepository deliveries,
      FineTuneService fineTunes,
      TransactionTemplate transactions,
      WebhookSender sender,
      Clock clock) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.fineTunes = fineTunes;
    this.transactions = transactions;
    this.sender = sender;
    this.clock = clock;
  }

  @ApplicationModuleListener(
      id = "webhook.outbox.fine-tune-finished",
      propagation = Propagation.NOT_SUPPORTED)
  void on(FineTuneFinished finished) {
    WebhookEvent event =
        switch (finished.status()) {
          case SUCCEEDED -> WebhookEvent.FINE_TUNE_SUCCEEDED;
          case FAILED -> WebhookEvent.FINE_TUNE_FAILED;
          case CANCELLED -> WebhookEvent.FINE_TUNE_CANCELLED;
          default -> null;
        };
    if (event != null) {
      enqueue(finished.tenantId(), finished.jobId(), event, null);
    }
  }

  @ApplicationModuleListener(
      id = "webhook.outbox.evaluation-ready",
      propagation = Propagation.NOT_SUPPORTED)
  void on(EvaluationReady ready) {
    enqueue(
        ready.tenantId(),
        ready.jobId(),
        WebhookEvent.EVALUATION_READY,
        ready.succeeded() ? "succeeded" : "failed");
  }

  private void enqueue(UUID tenantId, UUID jobId, WebhookEvent event, @Nullable String evaluation) {
    int queued =
        TenantContext.callAs(
            tenantId,
            () ->
                transactions.execute(
                    status -> {
                      var wanting =
                          endpoints.findAllByOrderByCreatedAt().stream()
                              .filter(endpoint -> endpoint.wants(event))
                              .toList();
                      if (wanting.isEmpty()) {
                        return 0;
                      }
                      FineTuneJob job = fineTunes.find(jobId).orElse(null);
                      Instant now = clock.instant();
                      for (WebhookEndpoint endpoint : wanting) {
                        UUID id = UUID.randomUUID();
                        deliveries.save(
                            new WebhookDelivery(
                                id,
                                endpoint.getId(),
                                event,
                                payload(id, event, jobId, job, evaluation, now),
                                now));
                      }
                      return wanting.size();
                    }));
    if (queued > 0) {
      sender.sendSoon();
    }
  }

  /**
   * The body: the delivery's id, the event's {@code type}, when it was queued and the job as
   * OpenAI's fine-tuning events name it ({@code data.id}), with its status and name.
   */
  private static String payload(
      UUID id,
      WebhookEvent event,
      UUID jobId,
      @Nullable FineTuneJob job,
      @Nullable String evaluation,
      Instant now) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", jobId.toString());
    if (job != null) {
      data.put("status", job.getStatus().wire());
      data.put("name", job.getLabel());
      if (job.getStatus() == JobStatus.FAILED && job.getError() != null) {
        data.put("error", job.getError());
      }
    }
    if (evaluation != null) {
      data.put("evaluation", evaluation);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("object", "event");
    body.put("id", id.toString());
    body.put("type", event.type());
    body.put("created_at", now.getEpochSecond());
    body.put("data", data);
    return JSON.writeValueAsString(body);
  }
}
