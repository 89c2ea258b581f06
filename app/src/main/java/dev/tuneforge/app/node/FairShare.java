package dev.tuneforge.app.node;

import dev.tuneforge.app.finetune.FineTuneJob;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToIntFunction;

/**
 * The order dispatch offers waiting jobs to nodes: weighted fair queueing over tenants by their
 * recent node time. Each tenant's clock starts at its recent node-seconds, plus {@link #CHARGE} for
 * each job nodes hold for it now, divided by its weight; the tenant with the lowest clock offers
 * its oldest job next and its clock moves on by {@link #CHARGE} over its weight. So a tenant with a
 * hundred queued jobs takes turns with one that queued one job later, a tenant that used less node
 * time lately goes first, and each tenant's own jobs keep their order (oldest first).
 */
final class FairShare {
  /** What one job counts for in the order: an hour of node time, a typical fine-tune. */
  static final Duration CHARGE = Duration.ofHours(1);

  private FairShare() {}

  /**
   * @param waiting the queued jobs, oldest first
   * @param recentSeconds each tenant's recent node-seconds (absent: none)
   * @param held how many jobs nodes hold for each tenant now (absent: none)
   * @param weight each tenant's weight, 1 or more
   */
  static List<FineTuneJob> order(
      List<FineTuneJob> waiting,
      Map<UUID, Double> recentSeconds,
      Map<UUID, Integer> held,
      ToIntFunction<UUID> weight) {
    Map<UUID, Deque<FineTuneJob>> queues = new LinkedHashMap<>();
    for (FineTuneJob job : waiting) {
      queues.computeIfAbsent(job.getTenantId(), tenant -> new ArrayDeque<>()).add(job);
    }
    Map<UUID, Integer> weights = new HashMap<>();
    Map<UUID, Double> clocks = new HashMap<>();
    for (UUID tenant : queues.keySet()) {
      int w = Math.max(1, weight.applyAsInt(tenant));
      weights.put(tenant, w);
      double holding = (double) held.getOrDefault(tenant, 0) * CHARGE.toSeconds();
      clocks.put(tenant, (recentSeconds.getOrDefault(tenant, 0.0) + holding) / w);
    }
    Comparator<UUID> next =
        Comparator.<UUID>comparingDouble(clocks::get)
            .thenComparing(tenant -> queues.get(tenant).getFirst().getCreatedAt());
    List<FineTuneJob> ordered = new ArrayList<>(waiting.size());
    while (!queues.isEmpty()) {
      UUID tenant = queues.keySet().stream().min(next).orElseThrow();
      Deque<FineTuneJob> queue = queues.get(tenant);
      ordered.add(queue.removeFirst());
      if (queue.isEmpty()) {
        queues.remove(tenant);
      }
      clocks.merge(tenant, (double) CHARGE.toSeconds() / weights.get(tenant), Double::sum);
    }
    return ordered;
  }
}
