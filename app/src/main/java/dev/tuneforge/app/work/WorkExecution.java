package dev.tuneforge.app.work;

import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.tenancy.TenantQuotas;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Runs one run of any kind as its tenant: starts it (or ends it if a cancellation came first),
 * hands it to its kind and records how it failed. Each kind's concurrency limit is a semaphore of
 * this instance, taken without waiting, so a busy kind never holds Quartz threads idle. Each
 * tenant's background-work quota is a set of {@link BackgroundSlots} in the database, also taken
 * without waiting, so that one tenant's many runs leave threads to the others on every replica
 * together.
 */
@Component
class WorkExecution {
  private static final Logger log = LoggerFactory.getLogger(WorkExecution.class);

  private final ObjectProvider<TenantWork<?>> registered;
  private final WorkRows rows;
  private final AccountService accounts;
  private final Clock clock;
  private final TenantQuotas quotas;
  private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();
  private final BackgroundSlots tenantSlots;
  private volatile @Nullable Map<String, TenantWork<?>> kinds;

  WorkExecution(
      ObjectProvider<TenantWork<?>> registered,
      WorkRows rows,
      AccountService accounts,
      TenantQuotas quotas,
      BackgroundSlots tenantSlots,
      Clock clock) {
    this.registered = registered;
    this.tenantSlots = tenantSlots;
    this.quotas = quotas;
    this.rows = rows;
    this.accounts = accounts;
    this.clock = clock;
  }

  /**
   * The kind registered under {@code name}; kinds are looked up on first use, as they may depend on
   * the runner.
   */
  TenantWork<?> kind(String name) {
    Map<String, TenantWork<?>> known = kinds;
    if (known == null) {
      known =
          registered
              .orderedStream()
              .collect(
                  Collectors.toUnmodifiableMap(kind -> kind.kind().name(), Function.identity()));
      kinds = known;
    }
    TenantWork<?> kind = known.get(name);
    if (kind == null) {
      throw new IllegalArgumentException("No kind of work is called '" + name + "'");
    }
    return kind;
  }

  /**
   * Runs the run unless this instance already works on as many of its kind as allowed.
   *
   * @return when to come back, if the run did not (fully) run now
   */
  Optional<Duration> runIfFree(String kindName, UUID tenantId, UUID runId) {
    TenantWork<?> kind = kind(kindName);
    WorkKind<?> limits = kind.kind();
    Semaphore free =
        limits.maxConcurrent() <= 0
            ? null
            : slots.computeIfAbsent(limits.name(), name -> new Semaphore(limits.maxConcurrent()));
    if (free != null && !free.tryAcquire()) {
      return Optional.of(limits.retryAfter());
    }
    try {
      Optional<BackgroundSlots.Slot> slot =
          tenantSlots.take(tenantId, quotas.of(tenantId).backgroundWork());
      if (slot.isEmpty()) {
        return Optional.of(limits.retryAfter());
      }
      try (BackgroundSlots.Slot held = slot.get()) {
        return TenantContext.callAs(tenantId, () -> run(kind, runId));
      }
    } finally {
      if (free != null) {
        free.release();
      }
    }
  }

  /** How many runs of the tenant work now, on every replica. */
  int running(UUID tenantId) {
    return tenantSlots.held(tenantId, quotas.of(tenantId).backgroundWork());
  }

  /** Runs the run on this thread, as the thread's tenant. */
  <R extends WorkRun> Optional<Duration> run(TenantWork<R> kind, UUID runId) {
    R run =
        rows.update(
            kind,
            runId,
            found -> {
              if (found.isCancelRequested()) {
                found.cancel("Cancelled before it started", clock.instant());
              } else {
                found.start(clock.instant());
              }
            });
    if (run == null || !run.isActive()) {
      return Optional.empty();
    }
    try {
      kind.run(new WorkContext<>(kind, run, rows, accounts, clock));
    } catch (TryLater later) {
      log.info(
          "{} run {} comes back in {}: {}",
          kind.kind().name(),
          runId,
          later.after(),
          later.getMessage());
      return Optional.of(later.after());
    } catch (WorkFailed e) {
      fail(kind, runId, String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      rows.update(
          kind, runId, found -> found.cancel("Stopped because the app shut down", clock.instant()));
    } catch (Exception e) {
      log.warn("{} run {} failed", kind.kind().name(), runId, e);
      fail(kind, runId, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
    return Optional.empty();
  }

  void fail(String kindName, UUID tenantId, UUID runId, String reason) {
    TenantContext.runAs(tenantId, () -> fail(kind(kindName), runId, reason));
  }

  private <R extends WorkRun> void fail(TenantWork<R> kind, UUID runId, String reason) {
    rows.update(kind, runId, found -> found.fail(reason, clock.instant()));
  }
}
