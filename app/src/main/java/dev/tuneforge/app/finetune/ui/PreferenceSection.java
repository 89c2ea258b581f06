package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.spring.annotation.SpringComponent;
import dev.tuneforge.app.base.ui.LineChart;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.finetune.ui.section.JobPageSection;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.PreferenceMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.springframework.context.annotation.Scope;

/**
 * On a DPO job's page: the rewards of each step as TRL names them (chosen, rejected, margin and
 * accuracy), charted from the metric events, and the preference accuracy of base and tuned on the
 * held-out pairs once the node has measured it.
 */
@SpringComponent
@Scope("prototype")
class PreferenceSection implements JobPageSection {

  /** The node's event that reports the held-out preference accuracy. */
  static final String ACCURACY_PREFIX = "preference accuracy on ";

  private final FineTuneService jobs;
  private final VerticalLayout layout = new VerticalLayout();
  private final LineChart rewards =
      new LineChart("rewards-chart", "DPO rewards by step", "No rewards reported yet");
  private final Paragraph accuracy = new Paragraph();

  PreferenceSection(FineTuneService jobs) {
    this.jobs = jobs;
    layout.setId("preference");
    layout.setPadding(false);
    accuracy.setId("preference-accuracy");
    layout.add(new H3("DPO rewards"), rewards, accuracy);
    layout.setVisible(false);
  }

  @Override
  public Component component() {
    return layout;
  }

  @Override
  public void show(FineTuneJob job) {
    layout.setVisible(job.isDpo());
    if (!job.isDpo()) {
      return;
    }
    List<JobEventRecord> events = jobs.events(job.getId());
    List<Step> steps = new ArrayList<>();
    String measured = null;
    for (JobEventRecord event : events) {
      PreferenceMetrics metrics =
          event.getType() == JobEvent.Type.METRIC
              ? PreferenceMetrics.parse(event.getMessage())
              : null;
      if (metrics != null && event.getStep() != null) {
        steps.add(new Step(event.getStep(), metrics));
      }
      if (event.getType() == JobEvent.Type.LOG
          && event.getMessage() != null
          && event.getMessage().startsWith(ACCURACY_PREFIX)) {
        measured = event.getMessage();
      }
    }
    rewards.show(
        List.of(
            series("rewards/chosen", steps, PreferenceMetrics::chosenReward, false),
            series("rewards/rejected", steps, PreferenceMetrics::rejectedReward, false),
            series("rewards/margins", steps, PreferenceMetrics::margin, false),
            series("rewards/accuracies", steps, PreferenceMetrics::accuracy, true)));
    accuracy.setText(
        measured == null
            ? "Held-out preference accuracy: measured after training, on the validation pairs"
            : "Held-out " + measured);
  }

  private record Step(int step, PreferenceMetrics metrics) {}

  private static LineChart.Series series(
      String name, List<Step> steps, ToDoubleFunction<PreferenceMetrics> value, boolean dashed) {
    return LineChart.Series.of(
        name, steps, Step::step, s -> value.applyAsDouble(s.metrics()), dashed);
  }
}
