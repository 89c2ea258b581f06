/**
 * Webhooks: the endpoints a tenant admin registers for job events, and the signed deliveries sent
 * to them from an outbox, retried with back-off, through the outbound policy.
 */
@NullMarked
package dev.tuneforge.app.webhook;

import org.jspecify.annotations.NullMarked;
