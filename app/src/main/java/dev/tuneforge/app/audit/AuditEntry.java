package dev.tuneforge.app.audit;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One audit record: {@code actor} is the user name as it was (or a node's, or "system"), {@code
 * tenant} the tenant's name (null for platform-level records and deleted tenants).
 */
public record AuditEntry(
    long id,
    Instant occurredAt,
    @Nullable UUID tenantId,
    @Nullable String tenant,
    @Nullable UUID actorId,
    String actor,
    AuditAction action,
    String target,
    String detail,
    String clientAddress) {}
