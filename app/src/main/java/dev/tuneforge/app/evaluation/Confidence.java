package dev.tuneforge.app.evaluation;

import java.util.List;
import java.util.Optional;

/** The paired bootstrap's intervals for every headline metric, and how they were drawn. */
public record Confidence(long seed, int resamples, List<MetricConfidence> metrics) {
  public Confidence {
    metrics = List.copyOf(metrics);
  }

  public Optional<MetricConfidence> of(Headline metric) {
    return metrics.stream().filter(m -> m.metric() == metric).findFirst();
  }
}
