package dev.tuneforge.app.tenancy;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The tenant whose data the current thread may touch. Requests take it from the signed-in user;
 * Quartz jobs, the node API and UI push callbacks set it explicitly with {@link #callAs} or {@link
 * #callAsSystem}. Without either, nothing tenant-owned is visible (fail closed).
 */
public final class TenantContext {

  /** Sees every tenant: dispatch, liveness and the node API's look-ups only. */
  static final UUID SYSTEM = new UUID(0L, 0L);

  /** Matches no tenant: anonymous callers and platform admins outside tenant data. */
  static final UUID NONE = new UUID(0L, 1L);

  /** The message of the exception {@link #requireTenant} throws. */
  public static final String NO_TENANT = "this action needs a tenant member";

  private static final String LOG_KEY = "tenant";

  private static final ThreadLocal<@Nullable UUID> EXPLICIT = new ThreadLocal<>();

  private TenantContext() {}

  /** The tenant of this thread, or empty when it has none (or is the system). */
  public static Optional<UUID> currentTenant() {
    UUID id = resolve();
    return id.equals(SYSTEM) || id.equals(NONE) ? Optional.empty() : Optional.of(id);
  }

  /** The tenant of this thread, failing loudly where a tenant is required. */
  public static UUID requireTenant() {
    return currentTenant().orElseThrow(() -> new IllegalStateException(NO_TENANT));
  }

  /** Whether this thread acts for the system, which sees every tenant. */
  public static boolean isSystem() {
    return resolve().equals(SYSTEM);
  }

  static UUID resolve() {
    UUID explicit = EXPLICIT.get();
    if (explicit != null) {
      return explicit;
    }
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth != null && auth.getPrincipal() instanceof TenantMember member) {
      UUID tenant = member.tenantId();
      return tenant == null ? NONE : tenant;
    }
    return NONE;
  }

  public static <T> T callAs(UUID tenantId, Supplier<T> work) {
    return withExplicit(tenantId, work);
  }

  public static void runAs(UUID tenantId, Runnable work) {
    withExplicit(
        tenantId,
        () -> {
          work.run();
          return null;
        });
  }

  public static <T> T callAsSystem(Supplier<T> work) {
    return withExplicit(SYSTEM, work);
  }

  public static void runAsSystem(Runnable work) {
    withExplicit(
        SYSTEM,
        () -> {
          work.run();
          return null;
        });
  }

  /** Wraps a task so that it runs, on whatever thread, as the tenant of the calling thread. */
  public static <T> Callable<T> propagate(Callable<T> task) {
    UUID captured = resolve();
    return () ->
        withExplicit(
            captured,
            () -> {
              try {
                return task.call();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  private static <T> T withExplicit(UUID tenantId, Supplier<T> work) {
    UUID previous = EXPLICIT.get();
    String previousLogged = MDC.get(LOG_KEY);
    EXPLICIT.set(tenantId);
    logAs(tenantId.equals(SYSTEM) || tenantId.equals(NONE) ? null : tenantId.toString());
    try {
      return work.get();
    } finally {
      if (previous == null) {
        EXPLICIT.remove();
      } else {
        EXPLICIT.set(previous);
      }
      logAs(previousLogged);
    }
  }

  /** Log lines written for a tenant carry its id ({@code tenant} in structured logs). */
  private static void logAs(@Nullable String tenant) {
    if (tenant == null) {
      MDC.remove(LOG_KEY);
    } else {
      MDC.put(LOG_KEY, tenant);
    }
  }
}
