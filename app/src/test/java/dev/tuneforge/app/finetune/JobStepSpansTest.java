package dev.tuneforge.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.finetune.JobStepSpans.Metric;
import dev.tuneforge.app.usage.StepSpans.StepSpan;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The span of steps a finished job's speed is taken from, on hand-made step metrics. */
class JobStepSpansTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @Test
  void theFirstStepWhichAlsoWarmsUpIsLeftOutOfTheSteadySpan() {
    // step 1 took 4 s for 100 tokens; steps 2..10 took 1 s for 100 tokens each
    Metric first = new Metric(T0, 1, 100, 25);
    Metric last = new Metric(T0.plusSeconds(9), 10, 1_000, 100);
    assertThat(JobStepSpans.span(first, last)).contains(new StepSpan(Duration.ofSeconds(9), 900));
  }

  @Test
  void aRunOfOneStepSpansThatStepFromWhenItBegan() {
    Metric only = new Metric(T0, 1, 100, 50);
    assertThat(JobStepSpans.span(only, only)).contains(new StepSpan(Duration.ofSeconds(2), 100));
  }

  @Test
  void aResumedRunHasNoSpan() {
    Metric first = new Metric(T0, 7, 700, 100);
    Metric last = new Metric(T0.plusSeconds(3), 10, 1_000, 100);
    assertThat(JobStepSpans.span(first, last)).isEmpty();
  }
}
