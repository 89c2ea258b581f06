package dev.tuneforge.app.work;

import jakarta.persistence.EntityManager;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads and changes runs of any kind, each change in a transaction of its own, then tells the kind.
 */
@Component
class WorkRows {
  private static final Logger log = LoggerFactory.getLogger(WorkRows.class);
  private final EntityManager entities;
  private final TransactionTemplate transactions;

  WorkRows(EntityManager entities, TransactionTemplate transactions) {
    this.entities = entities;
    this.transactions = transactions;
  }

  <R extends WorkRun> @Nullable R find(TenantWork<R> kind, UUID runId) {
    return transactions.execute(status -> entities.find(kind.kind().runType(), runId));
  }

  /**
   * Applies {@code change} if the run is still active; the run as stored afterwards, or null if it
   * is gone, also when it went between reading and saving.
   */
  <R extends WorkRun> @Nullable R update(TenantWork<R> kind, UUID runId, Consumer<R> change) {
    R saved;
    try {
      saved =
          transactions.execute(
              status -> {
                R found = entities.find(kind.kind().runType(), runId);
                if (found != null && found.isActive()) {
                  change.accept(found);
                }
                return found;
              });
    } catch (ObjectOptimisticLockingFailureException e) {
      // deleted meanwhile, with what it was about (a dataset version, a tenant): nothing to record
      if (find(kind, runId) != null) {
        throw e;
      }
      log.info(
          "{} run {} was deleted while it worked; it ends unrecorded", kind.kind().name(), runId);
      return null;
    }
    if (saved != null) {
      kind.changed(saved);
    }
    return saved;
  }
}
