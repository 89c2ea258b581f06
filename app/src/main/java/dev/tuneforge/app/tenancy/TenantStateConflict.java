package dev.tuneforge.app.tenancy;

/**
 * A tenant is not in the state an action needs: already scheduled for deletion, not scheduled, or
 * past its grace period. An {@link IllegalArgumentException}, so forms show its message as any
 * refused value; the API answers it with 409.
 */
public class TenantStateConflict extends IllegalArgumentException {
  TenantStateConflict(String message) {
    super(message);
  }
}
