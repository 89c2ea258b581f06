package dev.tuneforge.app.finetune;

import dev.tuneforge.app.tenancy.TenantListeners;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
   * published it). A plain listener, not a transactional one: Spring Modulith records every
   * transactional listener's event in its registry, a row written with the change and deleted after
   * it in a transaction of its own, so each step a node reports took a second connection while the
   * first was still held, and a busy fleet ran the pool dry. The nudge needs no record: it only
   * reaches open browser sessions, which reread the job; one lost in a crash has no session left to
   * reach.
   */
  @EventListener
  void on(FineTuneProgressed event) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              listeners.notify(event.tenantId(), event.jobId());
            }
          });
    } else {
      listeners.notify(event.tenantId(), event.jobId());
    }
  }
}
