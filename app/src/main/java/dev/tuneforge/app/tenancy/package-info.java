/**
 * Tenants and the one place tenancy is resolved: {@link TenantContext} feeds Hibernate's
 * {@code @TenantId} discriminator, so tenant-owned entities are filtered and stamped for free.
 */
@NullMarked
package dev.tuneforge.app.tenancy;

import org.jspecify.annotations.NullMarked;
