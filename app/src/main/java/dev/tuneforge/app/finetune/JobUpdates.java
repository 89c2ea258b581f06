package dev.tuneforge.app.finetune;

import dev.tuneforge.app.database.AfterCommit;
import dev.tuneforge.app.tenancy.TenantListeners;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

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
   * After the change commits, so that the redrawn view reads it ({@link AfterCommit}, which says
   * why this is no transactional listener). The nudge needs no record: it only reaches open browser
   * sessions, which reread the job; one lost in a crash has no session left to reach.
   */
  @EventListener
  void on(FineTuneProgressed event) {
    AfterCommit.run(() -> listeners.notify(event.tenantId(), event.jobId()));
  }
}
