package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.spring.annotation.SpringComponent;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.ui.section.JobPageSection;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Scope;

/**
 * On a job's page, where it came from and what came of it: "Continued from X at step N" when it
 * started from an earlier job's checkpoint, and "Continued by Y" for each job that starts from it.
 */
@SpringComponent
@Scope("prototype")
class LineageSection implements JobPageSection {
  private final FineTuneService jobs;
  private final Div from = new Div();
  private final Div by = new Div();
  private final Div layout = new Div(from, by);

  LineageSection(FineTuneService jobs) {
    this.jobs = jobs;
    from.setId("job-continued-from");
    by.setId("job-continued-by");
  }

  @Override
  public Component component() {
    return layout;
  }

  @Override
  public void show(FineTuneJob job) {
    from.removeAll();
    UUID source = job.getContinuedFromJobId();
    if (source != null) {
      String label = jobs.find(source).map(FineTuneJob::getLabel).orElse(source.toString());
      from.add(
          new Span("Continued from "),
          link(source, label),
          new Span(" at step " + job.getContinuedFromStep()));
    }
    from.setVisible(source != null);
    by.removeAll();
    List<FineTuneJob> continuations = jobs.continuedBy(job.getId());
    if (!continuations.isEmpty()) {
      by.add(new Span("Continued by "));
      for (int i = 0; i < continuations.size(); i++) {
        FineTuneJob next = continuations.get(i);
        by.add(
            i == 0 ? new Span() : new Span(", "),
            link(next.getId(), next.getLabel()),
            new Span(" (from step " + next.getContinuedFromStep() + ")"));
      }
    }
    by.setVisible(!continuations.isEmpty());
    layout.setVisible(source != null || !continuations.isEmpty());
  }

  private static Anchor link(UUID job, String label) {
    return new Anchor("finetunes/" + job, label);
  }
}
