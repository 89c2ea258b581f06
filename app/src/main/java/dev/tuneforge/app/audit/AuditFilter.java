package dev.tuneforge.app.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which records to show: {@code user} matches the actor's name case-insensitively (a part of it is
 * enough), {@code from} is inclusive and {@code to} exclusive; null means no limit.
 */
public record AuditFilter(
    @Nullable String user,
    @Nullable AuditAction action,
    @Nullable Instant from,
    @Nullable Instant to) {

  public static AuditFilter all() {
    return new AuditFilter(null, null, null, null);
  }
}
