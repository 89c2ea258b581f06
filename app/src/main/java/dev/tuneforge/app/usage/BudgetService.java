package dev.tuneforge.app.usage;

import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Tenants' monthly budgets against their spend in the calendar month (UTC), open segments counted
 * up to now. Dispatch asks before it gives a job a node; heartbeats ask while a job runs.
 */
@Service
public class BudgetService {
  private static final DateTimeFormatter MONTH =
      DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

  /** A tenant's spend in a month next to its budget. */
  public record TenantSpend(
      UUID tenantId,
      String tenantName,
      @Nullable BigDecimal budget,
      BigDecimal spend,
      long seconds,
      long tokens) {}

  private final JdbcClient jdbc;
  private final TenantService tenants;
  private final UsageProperties properties;
  private final Clock clock;

  BudgetService(JdbcClient jdbc, TenantService tenants, UsageProperties properties, Clock clock) {
    this.jdbc = jdbc;
    this.tenants = tenants;
    this.properties = properties;
    this.clock = clock;
  }

  public YearMonth currentMonth() {
    return YearMonth.now(clock.withZone(ZoneOffset.UTC));
  }

  public Optional<BigDecimal> budget(UUID tenantId) {
    return tenants.find(tenantId).map(Tenant::getMonthlyBudget);
  }

  /**
   * What the tenant spent in {@code month}: node time, with segments still open counted up to now,
   * tokens served and tokens bought from its teacher endpoints.
   */
  public BigDecimal spend(UUID tenantId, YearMonth month) {
    return jdbc.sql(
            "select "
                + SPEND
                + " + "
                + TOKENS.replace("t.id", ":tenant")
                + " from usage_record u where u.tenant_id = :tenant"
                + " and u.started_at >= :from and u.started_at < :to")
        .param("tenant", tenantId)
        .param("now", at(Instant.now(clock)))
        .param("from", at(start(month)))
        .param("to", at(start(month.plusMonths(1))))
        .query(BigDecimal.class)
        .single();
  }

  /**
   * Why a job estimated to cost {@code estimate} more must wait; empty when the budget allows it.
   */
  public Optional<String> dispatchProblem(UUID tenantId, BigDecimal estimate) {
    return problem(tenantId, estimate, "this job's estimate");
  }

  /**
   * Why work estimated to cost {@code estimate} more must not start, {@code what} naming the
   * estimate ("this judge run's estimate"); empty when the budget allows it.
   */
  public Optional<String> problem(UUID tenantId, BigDecimal estimate, String what) {
    Optional<BigDecimal> budget = budget(tenantId);
    if (budget.isEmpty()) {
      return Optional.empty();
    }
    YearMonth month = currentMonth();
    BigDecimal spent = spend(tenantId, month);
    if (spent.add(estimate).compareTo(budget.get()) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "the tenant's monthly budget of "
            + money(budget.get())
            + " would be exceeded: "
            + money(spent)
            + " spent in "
            + MONTH.format(month)
            + " plus "
            + what
            + " of "
            + money(estimate));
  }

  /** Why a running job must stop now; empty while the tenant's spend is below its budget. */
  public Optional<String> runningProblem(UUID tenantId) {
    Optional<BigDecimal> budget = budget(tenantId);
    if (budget.isEmpty()) {
      return Optional.empty();
    }
    YearMonth month = currentMonth();
    BigDecimal spent = spend(tenantId, month);
    if (spent.compareTo(budget.get()) < 0) {
      return Optional.empty();
    }
    return Optional.of(
        "the tenant's monthly budget of "
            + money(budget.get())
            + " is spent ("
            + money(spent)
            + " in "
            + MONTH.format(month)
            + ")");
  }

  /** Every tenant's spend in {@code month}, by name. */
  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  public List<TenantSpend> platform(YearMonth month) {
    return jdbc.sql(
            "select t.id, t.name, t.monthly_budget, "
                + SPEND
                + " + "
                + TOKENS
                + ", coalesce(sum(u.seconds), 0) as seconds,"
                + " coalesce(sum(u.trained_tokens), 0) as tokens from tenant t left join usage_record u on u.tenant_id = t.id"
                + " and u.started_at >= :from and u.started_at < :to group by t.id, t.name, t.monthly_budget order by t.name")
        .param("now", at(Instant.now(clock)))
        .param("from", at(start(month)))
        .param("to", at(start(month.plusMonths(1))))
        .query(
            (rs, row) ->
                new TenantSpend(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getBigDecimal(3),
                    rs.getBigDecimal(4),
                    rs.getLong(5),
                    rs.getLong(6)))
        .list();
  }

  private String money(BigDecimal amount) {
    return Money.format(amount, properties.currency());
  }

  private static final String SPEND =
      "coalesce(sum(case when u.ended_at is null"
          + " then u.price_per_gpu_hour * greatest(0, extract(epoch from (cast(:now as timestamptz) - u.started_at))) / 3600"
          + " else u.cost end), 0)";

  /** Tokens served to tenant {@code t.id} and bought for it in the month, as one amount. */
  private static final String TOKENS =
      "(select coalesce(sum(s.cost), 0) from served_tokens s where s.tenant_id = t.id"
          + " and s.served_at >= :from and s.served_at < :to)"
          + " + (select coalesce(sum(c.cost), 0) from token_charge c where c.tenant_id = t.id"
          + " and c.charged_at >= :from and c.charged_at < :to)";

  static Instant start(YearMonth month) {
    return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
