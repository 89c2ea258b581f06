/**
 * One runner for a tenant's background work: a kind of work is a {@link TenantWork} bean, its runs
 * are rows extending {@link WorkRun}; tenancy, throttling, failure recording and Quartz (clustered,
 * recoverable) are handled here once.
 */
@NullMarked
package dev.tuneforge.app.work;

import org.jspecify.annotations.NullMarked;
