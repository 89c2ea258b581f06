package dev.tuneforge.app.usage;

import dev.tuneforge.app.tenancy.TenantContext;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Meters tokens bought from a tenant's teacher endpoints for work run in its name (the LLM judge),
 * as the calling tenant: reports list them and the budget counts them.
 */
@Service
public class TokenCharges {
  private final TokenChargeRepository charges;
  private final TransactionTemplate transactions;
  private final UsageProperties properties;

  TokenCharges(
      TokenChargeRepository charges, TransactionTemplate transactions, UsageProperties properties) {
    this.charges = charges;
    this.transactions = transactions;
    this.properties = properties;
  }

  public String currency() {
    return properties.currency();
  }

  /**
   * Records tokens bought for the calling tenant.
   *
   * @throws IllegalArgumentException for negative token counts
   */
  public TokenCharge charge(TokenCharge.Charged charged) {
    TokenCharge charge = new TokenCharge(charged);
    TenantContext.requireTenant();
    return transactions.execute(status -> charges.save(charge));
  }

  /** What a run of the calling tenant bought so far. */
  public BigDecimal costOf(UUID runId) {
    return charges.findByRunId(runId).stream()
        .map(TokenCharge::getCost)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** The calling tenant's charges in a month (UTC), oldest first. */
  public List<TokenCharge> inMonth(YearMonth month) {
    return charges.findByChargedAtGreaterThanEqualAndChargedAtLessThanOrderByChargedAt(
        BudgetService.start(month), BudgetService.start(month.plusMonths(1)));
  }
}
