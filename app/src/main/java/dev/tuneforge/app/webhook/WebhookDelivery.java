package dev.tuneforge.app.webhook;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * One event for one endpoint: its JSON body, and how sending it went. Pending until an attempt is
 * answered with a 2xx status (delivered), or the attempts are spent or the outbound policy refused
 * the URL (failed). Each failed attempt waits twice as long as the one before.
 */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery {
  public static final String PENDING = "pending";
  public static final String DELIVERED = "delivered";
  public static final String FAILED = "failed";

  private static final int EXCERPT = 500;

  @Id private UUID id;
  @TenantId private UUID tenantId;
  private UUID endpointId;
  private String eventType;
  private String payload;
  private String status;
  private int attempts;
  private @Nullable Instant nextAttemptAt;
  private @Nullable Instant lastAttemptAt;
  private @Nullable Integer responseStatus;
  private @Nullable String responseExcerpt;
  private @Nullable String error;
  private Instant createdAt;

  protected WebhookDelivery() {}

  WebhookDelivery(UUID id, UUID endpointId, WebhookEvent event, String payload, Instant now) {
    this.id = id;
    this.endpointId = endpointId;
    this.eventType = event.type();
    this.payload = payload;
    this.status = PENDING;
    this.nextAttemptAt = now;
    this.createdAt = now;
  }

  /** An answer: delivered on 2xx, else retried after {@code backOff} or failed when spent. */
  void answered(int code, String body, Instant now, Duration backOff, int maxAttempts) {
    attempted(now);
    responseStatus = code;
    responseExcerpt = excerpt(body);
    if (code >= 200 && code < 300) {
      status = DELIVERED;
      error = null;
      nextAttemptAt = null;
    } else {
      retryOrFail("the endpoint answered " + code, now, backOff, maxAttempts);
    }
  }

  /** No answer: retried after {@code backOff} when worth it and attempts remain, else failed. */
  void unanswered(String reason, boolean worthRetrying, Instant now, Duration backOff, int max) {
    attempted(now);
    responseStatus = null;
    responseExcerpt = null;
    if (worthRetrying) {
      retryOrFail(reason, now, backOff, max);
    } else {
      status = FAILED;
      error = excerpt(reason);
      nextAttemptAt = null;
    }
  }

  private void attempted(Instant now) {
    attempts++;
    lastAttemptAt = now;
  }

  private void retryOrFail(String reason, Instant now, Duration backOff, int maxAttempts) {
    if (attempts >= maxAttempts) {
      status = FAILED;
      error = excerpt(reason + "; gave up after " + attempts + " attempts");
      nextAttemptAt = null;
    } else {
      error = excerpt(reason);
      nextAttemptAt = now.plus(backOff);
    }
  }

  private static String excerpt(String text) {
    return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT - 1) + "…";
  }

  public UUID getId() {
    return id;
  }

  public UUID getEndpointId() {
    return endpointId;
  }

  public String getEventType() {
    return eventType;
  }

  public String getPayload() {
    return payload;
  }

  /** {@value #PENDING}, {@value #DELIVERED} or {@value #FAILED}. */
  public String getStatus() {
    return status;
  }

  public int getAttempts() {
    return attempts;
  }

  public @Nullable Instant getNextAttemptAt() {
    return nextAttemptAt;
  }

  public @Nullable Instant getLastAttemptAt() {
    return lastAttemptAt;
  }

  public @Nullable Integer getResponseStatus() {
    return responseStatus;
  }

  public @Nullable String getResponseExcerpt() {
    return responseExcerpt;
  }

  /** Why the last attempt did not deliver, or null. */
  public @Nullable String getError() {
    return error;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }
}
