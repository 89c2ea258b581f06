package dev.tuneforge.app.usage;

import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Meters tokens served (playground and chat completions): one row per generation, written as the
 * calling tenant, priced per 1,000 tokens (prompt and completion alike) at the configured price.
 */
@Service
public class ServingMeter {
  private final ServedTokensRepository served;
  private final UsageProperties properties;
  private final TransactionTemplate transactions;

  ServingMeter(
      ServedTokensRepository served, UsageProperties properties, TransactionTemplate transactions) {
    this.served = served;
    this.properties = properties;
    this.transactions = transactions;
  }

  public ServedTokens record(ServedTokens.Served generation) {
    if (generation.promptTokens() < 0 || generation.completionTokens() < 0) {
      throw new IllegalArgumentException(
          "Tokens served are never negative, not "
              + generation.promptTokens()
              + " and "
              + generation.completionTokens());
    }
    return TenantContext.callAs(
        generation.tenantId(),
        () ->
            transactions.execute(
                status ->
                    served.save(
                        new ServedTokens(generation, properties.servedPricePer1kTokens()))));
  }

  /** The calling tenant's generations served in a month (UTC), oldest first. */
  public List<ServedTokens> inMonth(YearMonth month) {
    Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    return served.findByServedAtGreaterThanEqualAndServedAtLessThanOrderByServedAt(from, to);
  }

  public java.math.BigDecimal pricePer1k() {
    return properties.servedPricePer1kTokens();
  }

  public String currency() {
    return properties.currency();
  }
}
