package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * A job's node-time spend: keyed by the job's id, so two jobs of one name stay apart; {@code name}
 * as metered, {@code label} as the job's pages show it now (its own name, if given, beside the
 * generated one; the metered name for a job deleted since).
 */
public record JobSpend(UUID id, String name, String label, BigDecimal cost) {

  JobSpend plus(BigDecimal more) {
    return new JobSpend(id, name, label, cost.add(more));
  }
}
