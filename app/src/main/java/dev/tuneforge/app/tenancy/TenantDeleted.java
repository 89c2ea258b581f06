package dev.tuneforge.app.tenancy;

import java.util.UUID;

/** A tenant was deleted with its data; the audit log keeps its records. */
public record TenantDeleted(UUID tenantId, String name) {}
