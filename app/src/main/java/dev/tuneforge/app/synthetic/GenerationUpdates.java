package dev.tuneforge.app.synthetic;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Fans generation progress out to open views of the same tenant, which redraw by server push. */
@Component
public class GenerationUpdates {
  private record Listener(UUID tenantId, Consumer<UUID> onJobChanged) {}

  private final Set<Listener> listeners = new CopyOnWriteArraySet<>();

  /** Calls {@code onJobChanged} with the job's id whenever a generation job of {@code tenantId} changes. */
  public Runnable register(UUID tenantId, Consumer<UUID> onJobChanged) {
    Listener listener = new Listener(tenantId, onJobChanged);
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @EventListener
  void on(GenerationProgressed event) {
    for (Listener listener : listeners) {
      if (listener.tenantId().equals(event.tenantId())) {
        listener.onJobChanged().accept(event.jobId());
      }
    }
  }
}
