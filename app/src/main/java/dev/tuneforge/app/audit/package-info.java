/**
 * The audit log: an append-only record of who did what, to which target, when and from where,
 * written by listening to the events the other features publish; read by admins on the Audit log
 * page, as CSV and through {@code /api/audit}.
 */
@NullMarked
package dev.tuneforge.app.audit;

import org.jspecify.annotations.NullMarked;
