package dev.tuneforge.app.synthetic;

import dev.tuneforge.app.tenancy.TenantListeners;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Fans generation progress out to open views of the same tenant, which redraw by server push. */
@Component
public class GenerationUpdates {
  private final TenantListeners listeners = new TenantListeners();

  /**
   * Calls {@code onJobChanged} with the job's id whenever a generation job of {@code tenantId}
   * changes.
   */
  public Runnable register(UUID tenantId, Consumer<UUID> onJobChanged) {
    return listeners.register(tenantId, onJobChanged);
  }

  @EventListener
  void on(GenerationProgressed event) {
    listeners.notify(event.tenantId(), event.jobId());
  }
}
