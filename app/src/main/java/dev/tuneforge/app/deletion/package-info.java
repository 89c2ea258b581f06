/**
 * The removal of deleted tenants: once a tenant's grace period is over, every row of it in every
 * table and every object under its prefix is removed, by a Quartz job.
 */
@NullMarked
package dev.tuneforge.app.deletion;

import org.jspecify.annotations.NullMarked;
