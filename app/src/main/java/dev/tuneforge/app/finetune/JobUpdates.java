package dev.tuneforge.app.finetune;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Fans job changes out to open views of the same tenant, which then redraw by server push.
 * Listeners of one tenant never hear of another tenant's jobs.
 */
@Component
public class JobUpdates {
  private record Listener(UUID tenantId, Consumer<UUID> onJobChanged) {}

  private final Set<Listener> listeners = new CopyOnWriteArraySet<>();

  /** Calls {@code onJobChanged} with the job's id whenever a job of {@code tenantId} changes. */
  public Runnable register(UUID tenantId, Consumer<UUID> onJobChanged) {
    Listener listener = new Listener(tenantId, onJobChanged);
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @EventListener
  void on(FineTuneProgressed event) {
    for (Listener listener : listeners) {
      if (listener.tenantId().equals(event.tenantId())) {
        listener.onJobChanged().accept(event.jobId());
      }
    }
  }
}
