package dev.tuneforge.app.finetune;

import dev.tuneforge.app.usage.JobLabels;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Jobs' labels ({@link FineTuneJob#getLabel}) for the usage pages, the calling tenant's only. */
@Component
class FineTuneJobLabels implements JobLabels {
  private final FineTuneRepository jobs;

  FineTuneJobLabels(FineTuneRepository jobs) {
    this.jobs = jobs;
  }

  @Override
  public Map<UUID, String> of(Collection<UUID> jobIds) {
    Map<UUID, String> labels = new HashMap<>();
    if (!jobIds.isEmpty()) {
      jobs.findAllById(jobIds).forEach(j -> labels.put(j.getId(), j.getLabel()));
    }
    return labels;
  }
}
