package dev.tuneforge.app.work;

import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.SignedInUser;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * What a run's work is handed: its tenant (already the thread's), the run as it started, the user
 * who started it, a progress reporter, the cancellation signal and the clock.
 */
public final class WorkContext<R extends WorkRun> {
  private static final long PROGRESS_EVERY_NANOS = 250_000_000L;

  private final TenantWork<R> kind;
  private final R run;
  private final WorkRows rows;
  private final AccountService accounts;
  private final Clock clock;
  private long lastProgress = System.nanoTime();

  WorkContext(TenantWork<R> kind, R run, WorkRows rows, AccountService accounts, Clock clock) {
    this.kind = kind;
    this.run = run;
    this.rows = rows;
    this.accounts = accounts;
    this.clock = clock;
  }

  public UUID tenantId() {
    return run.getTenantId();
  }

  public UUID runId() {
    return run.getId();
  }

  /** The run as it was when the runner started it. */
  public R run() {
    return run;
  }

  public Instant now() {
    return clock.instant();
  }

  /**
   * Applies {@code change} to the stored run while it is active; the run as stored, or null if it
   * is gone.
   */
  public @Nullable R update(Consumer<R> change) {
    return rows.update(kind, run.getId(), change);
  }

  /**
   * Reports progress: applies {@code change} at most every quarter of a second (so it may be called
   * for every item) and then looks at the cancellation signal.
   *
   * @return false when the work should stop: a cancellation was asked for, or the run ended or went
   */
  public boolean progress(Consumer<R> change) {
    if (System.nanoTime() - lastProgress < PROGRESS_EVERY_NANOS) {
      return true;
    }
    lastProgress = System.nanoTime();
    R current = update(change);
    return current != null && current.isActive() && !current.isCancelRequested();
  }

  /**
   * The cancellation signal, read from the run as stored now: asked to stop, or ended or gone
   * meanwhile.
   */
  public boolean cancelRequested() {
    R current = rows.find(kind, run.getId());
    return current == null || !current.isActive() || current.isCancelRequested();
  }

  /**
   * The user who started the run, as signed in now.
   *
   * @throws WorkFailed when the run has none, or they no longer exist, left the tenant or are
   *     disabled
   */
  public SignedInUser actingUser() {
    ActingUser who = run.actingUser();
    if (who == null) {
      throw new WorkFailed("No user started this " + kind.kind().name() + " run");
    }
    try {
      if (accounts.loadUserByUsername(who.username()) instanceof SignedInUser user
          && user.userId().equals(who.userId())
          && run.getTenantId().equals(user.tenantId())
          && user.enabled()) {
        return user;
      }
    } catch (UsernameNotFoundException e) {
      // reported below
    }
    throw new WorkFailed(
        "The user who started this work (" + who.username() + ") no longer exists or is disabled");
  }

  /**
   * Does {@code work} signed in as {@link #actingUser()}, so that what it stores is theirs and
   * checked as theirs.
   */
  public <T> T asActingUser(Supplier<T> work) {
    SignedInUser user = actingUser();
    SecurityContext previous = SecurityContextHolder.getContext();
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(
        UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
    SecurityContextHolder.setContext(context);
    try {
      return work.get();
    } finally {
      SecurityContextHolder.setContext(previous);
    }
  }
}
