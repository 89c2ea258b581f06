package dev.tuneforge.app.tenancy;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * Callbacks registered per tenant, for fanning changes out to that tenant's open views: a
 * notification for one tenant never reaches another tenant's listeners. Thread-safe.
 */
public final class TenantListeners {
  private record Listener(UUID tenantId, Consumer<UUID> onChanged) {}

  private final Set<Listener> listeners = new CopyOnWriteArraySet<>();

  /**
   * Calls {@code onChanged} with the id of whatever changed for {@code tenantId}; run the result to
   * unregister.
   */
  public Runnable register(UUID tenantId, Consumer<UUID> onChanged) {
    Listener listener = new Listener(tenantId, onChanged);
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public void notify(UUID tenantId, UUID changedId) {
    for (Listener listener : listeners) {
      if (listener.tenantId().equals(tenantId)) {
        listener.onChanged().accept(changedId);
      }
    }
  }
}
