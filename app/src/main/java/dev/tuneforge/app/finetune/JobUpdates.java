package dev.tuneforge.app.finetune;

import dev.tuneforge.app.tenancy.TenantListeners;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Fans job changes out to open views of the same tenant, which then redraw by server push.
 * Listeners of one tenant never hear of another tenant's jobs.
 */
@Component
public class JobUpdates {
  private final TenantListeners listeners = new TenantListeners();

  /** Calls {@code onJobChanged} with the job's id whenever a job of {@code tenantId} changes. */
  public Runnable register(UUID tenantId, Consumer<UUID> onJobChanged) {
    return listeners.register(tenantId, onJobChanged);
  }

  /**
   * After the change commits, so that the redrawn view reads it (at once when no transaction
   * published it). Not in the event registry: it only nudges open browser sessions, which reread
   * the job; a nudge lost in a crash has no session left to reach, and none is worth replaying.
   */
  @TransactionalEventListener(fallbackExecution = true)
  void on(FineTuneProgressed event) {
    listeners.notify(event.tenantId(), event.jobId());
  }
}
