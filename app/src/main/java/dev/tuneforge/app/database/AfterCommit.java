package dev.tuneforge.app.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs work once the calling thread's transaction commits, or at once outside a transaction; a
 * rollback drops it. For listeners whose work needs no record of its own: Spring Modulith records
 * the event of every {@code @TransactionalEventListener} (after commit) in its publication
 * registry, and marks it done in a transaction of its own while the committed one still holds its
 * connection, so each such listener took a second connection per event. Work that fails after the
 * commit is logged, and the caller, whose change is committed, carries on.
 */
public final class AfterCommit {
  private static final Logger log = LoggerFactory.getLogger(AfterCommit.class);

  private AfterCommit() {}

  public static void run(Runnable work) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      work.run();
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            try {
              work.run();
            } catch (RuntimeException e) {
              log.warn("Work after a commit failed; the change stays committed", e);
            }
          }
        });
  }
}
