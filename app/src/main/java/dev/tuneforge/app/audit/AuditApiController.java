package dev.tuneforge.app.audit;

import dev.tuneforge.app.apikey.PublicApi;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit log for scripts: a tenant admin's key reads their tenant's records, a platform admin's
 * every record, a member's nothing (403). Newest first, in pages.
 */
@RestController
@PublicApi
class AuditApiController {
  static final int MAX_LIMIT = 1000;

  private final AuditLog log;

  AuditApiController(AuditLog log) {
    this.log = log;
  }

  /** One record; {@code tenant} is null for platform-level records. */
  record AuditJson(
      long id,
      Instant time,
      @Nullable UUID tenantId,
      @Nullable String tenant,
      @Nullable UUID userId,
      String user,
      String action,
      String target,
      String detail,
      String clientAddress) {
    static AuditJson of(AuditEntry e) {
      return new AuditJson(
          e.id(),
          e.occurredAt(),
          e.tenantId(),
          e.tenant(),
          e.actorId(),
          e.actor(),
          e.action().name(),
          e.target(),
          e.detail(),
          e.clientAddress());
    }
  }

  /** A page of records and how many match in all. */
  record AuditPage(List<AuditJson> data, int total) {}

  /**
   * Records that match: {@code user} (part of the user name), {@code action} (e.g. {@code
   * SIGN_IN_FAILED}), {@code from} (inclusive) and {@code to} (exclusive) as ISO-8601 instants.
   */
  @GetMapping("/api/audit")
  AuditPage list(
      @RequestParam(required = false) @Nullable String user,
      @RequestParam(required = false) @Nullable String action,
      @RequestParam(required = false) @Nullable Instant from,
      @RequestParam(required = false) @Nullable Instant to,
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "100") int limit) {
    if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "offset is 0 or more and limit between 1 and " + MAX_LIMIT);
    }
    AuditFilter filter = new AuditFilter(user, action(action), from, to);
    return new AuditPage(
        log.find(filter, offset, limit).stream().map(AuditJson::of).toList(), log.count(filter));
  }

  private static @Nullable AuditAction action(@Nullable String action) {
    if (action == null || action.isBlank()) {
      return null;
    }
    try {
      return AuditAction.valueOf(action.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("No such action: " + action.strip());
    }
  }
}
