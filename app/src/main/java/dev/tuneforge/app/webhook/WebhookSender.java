package dev.tuneforge.app.webhook;

import dev.tuneforge.app.outbound.OutboundFailed;
import dev.tuneforge.app.outbound.OutboundRequests;
import dev.tuneforge.app.outbound.OutboundResponse;
import dev.tuneforge.app.tenancy.TenantContext;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the deliveries that are due, signed, through the outbound policy. Each run first claims its
 * rows (locked, skipping rows another app replica is claiming, and pushed {@link #CLAIM} ahead), so
 * a delivery is sent by one sender at a time; a sender that dies mid-send leaves the row to be
 * claimed again after that. A failed attempt is retried after {@link #FIRST_RETRY}, then twice as
 * long each time, up to {@link #MAX_ATTEMPTS} attempts.
 */
@Component
class WebhookSender {
  static final int MAX_ATTEMPTS = 8;
  static final Duration FIRST_RETRY = Duration.ofSeconds(30);
  static final Duration CLAIM = Duration.ofMinutes(2);
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final int BATCH = 20;
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

  private final JdbcClient jdbc;
  private final WebhookEndpointRepository endpoints;
  private final WebhookDeliveryRepository deliveries;
  private final WebhookService webhooks;
  private final OutboundRequests outbound;
  private final TransactionTemplate transactions;
  private final ObjectProvider<Scheduler> scheduler;
  private final Clock clock;

  WebhookSender(
      JdbcClient jdbc,
      WebhookEndpointRepository endpoints,
      WebhookDeliveryRepository deliveries,
      WebhookService webhooks,
      OutboundRequests outbound,
      TransactionTemplate transactions,
      ObjectProvider<Scheduler> scheduler,
      Clock clock) {
    this.jdbc = jdbc;
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.webhooks = webhooks;
    this.outbound = outbound;
    this.transactions = transactions;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** Sends every delivery due now, of every tenant; how many were attempted. */
  int deliverDue() throws InterruptedException {
    int attempted = 0;
    List<Claimed> batch;
    do {
      batch = claim(clock.instant());
      for (Claimed claimed : batch) {
        TenantContext.runAs(claimed.tenantId(), () -> attempt(claimed.id()));
        attempted++;
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    } while (batch.size() == BATCH);
    return attempted;
  }

  /** Asks Quartz to run the sender now rather than at its next tick. */
  void sendSoon() {
    try {
      scheduler.getObject().triggerJob(JobKey.jobKey(WebhookDeliveryJob.NAME));
    } catch (SchedulerException e) {
      log.warn("Could not trigger webhook deliveries now; they go at the next tick", e);
    }
  }

  private List<Claimed> claim(Instant now) {
    return transactions.execute(
        status -> {
          List<Claimed> due =
              jdbc.sql(
                      "select id, tenant_id from webhook_delivery where status = 'pending'"
                          + " and next_attempt_at <= ? order by next_attempt_at limit ?"
                          + " for update skip locked")
                  .params(Timestamp.from(now), BATCH)
                  .query(
                      (rs, n) ->
                          new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                  .list();
          for (Claimed claimed : due) {
            jdbc.sql("update webhook_delivery set next_attempt_at = ? where id = ?")
                .params(Timestamp.from(now.plus(CLAIM)), claimed.id())
                .update();
          }
          return due;
        });
  }

  private void attempt(UUID deliveryId) {
    WebhookDelivery delivery = deliveries.findById(deliveryId).orElse(null);
    WebhookEndpoint endpoint =
        delivery == null ? null : endpoints.findById(delivery.getEndpointId()).orElse(null);
    if (delivery == null || endpoint == null) {
      return;
    }
    Instant now = clock.instant();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(
        WebhookSignature.HEADER,
        WebhookSignature.header(
            webhooks.secret(endpoint), now.getEpochSecond(), delivery.getPayload()));
    headers.put("Tuneforge-Event", delivery.getEventType());
    headers.put("Tuneforge-Delivery", delivery.getId().toString());
    headers.put("User-Agent", "Tuneforge-Webhooks/1");
    Duration backOff = FIRST_RETRY.multipliedBy(1L << Math.min(delivery.getAttempts(), 20));
    try {
      OutboundResponse response =
          outbound.postJson(URI.create(endpoint.getUrl()), headers, delivery.getPayload(), TIMEOUT);
      delivery.answered(response.status(), response.text(), now, backOff, MAX_ATTEMPTS);
    } catch (OutboundFailed e) {
      delivery.unanswered(e.getMessage(), e.worthRetrying(), now, backOff, MAX_ATTEMPTS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    transactions.executeWithoutResult(status -> deliveries.save(delivery));
  }

  private record Claimed(UUID id, UUID tenantId) {}
}
