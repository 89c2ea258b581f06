package dev.tuneforge.app.tenancy;

import java.time.Instant;
import java.util.UUID;

/**
 * A platform admin ({@code requestedBy}) deleted a tenant: it is removed for good at {@code dueAt}
 * unless the deletion is undone before. Features stop the tenant's work on it.
 */
public record TenantDeletionScheduled(
    UUID tenantId, String name, Instant dueAt, String requestedBy) {}
