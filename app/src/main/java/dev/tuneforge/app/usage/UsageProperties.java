package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Prices and assumptions used where an admin set none: the price per hour of a node with no price
 * of its own (by device), and what an estimate assumes for a node class that has not yet finished
 * any metered job: its training and generation speeds and the seconds a job spends around its steps
 * (start-up and delivery); the price of 1,000 tokens served (prompt and completion alike). {@code
 * currency} is only a label.
 */
@ConfigurationProperties("tuneforge.usage")
public record UsageProperties(
    @DefaultValue("USD") String currency,
    @DefaultValue("0.10") BigDecimal cpuPricePerHour,
    @DefaultValue("2.00") BigDecimal gpuPricePerHour,
    @DefaultValue("1500") double cpuTokensPerSecond,
    @DefaultValue("20000") double gpuTokensPerSecond,
    @DefaultValue("30") double startupSeconds,
    @DefaultValue("20") double cpuGeneratedTokensPerSecond,
    @DefaultValue("500") double gpuGeneratedTokensPerSecond,
    @DefaultValue("0.002") BigDecimal servedPricePer1kTokens) {

  /**
   * The price per hour of a node on {@code device} ({@code cpu}, {@code cuda}, ...) without its
   * own.
   */
  public BigDecimal defaultPrice(String device) {
    return "cpu".equalsIgnoreCase(device) ? cpuPricePerHour : gpuPricePerHour;
  }

  double assumedTokensPerSecond(String nodeClass) {
    return nodeClass.startsWith("cpu") ? cpuTokensPerSecond : gpuTokensPerSecond;
  }

  double assumedGeneratedPerSecond(String nodeClass) {
    return nodeClass.startsWith("cpu") ? cpuGeneratedTokensPerSecond : gpuGeneratedTokensPerSecond;
  }
}
