package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Prices and assumptions used where an admin set none: the price per hour of a node with no price
 * of its own (by device), and the throughput an estimate assumes for a node class that has not yet
 * finished any metered training. {@code currency} is only a label.
 */
@ConfigurationProperties("tuneforge.usage")
public record UsageProperties(
    @DefaultValue("USD") String currency,
    @DefaultValue("0.10") BigDecimal cpuPricePerHour,
    @DefaultValue("2.00") BigDecimal gpuPricePerHour,
    @DefaultValue("1500") double cpuTokensPerSecond,
    @DefaultValue("20000") double gpuTokensPerSecond) {

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
}
