package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.spring.annotation.SpringComponent;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.ui.section.JobPageSection;
import dev.tuneforge.app.usage.EstimateService;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Scope;

/**
 * The job's own name, which can be changed at any time, and, once it holds no node, its cost
 * estimate at dispatch beside the metered cost, so that the estimate's error is visible.
 */
@SpringComponent
@Scope("prototype")
class JobNameAndCostSection implements JobPageSection {
  private final FineTuneService fineTunes;
  private final EstimateService estimates;
  private final TextField name = new TextField();
  private final Paragraph cost = new Paragraph();
  private final VerticalLayout layout = new VerticalLayout();
  private @Nullable UUID jobId;

  JobNameAndCostSection(FineTuneService fineTunes, EstimateService estimates) {
    this.fineTunes = fineTunes;
    this.estimates = estimates;
    name.setId("job-suffix");
    name.setPlaceholder("no name");
    name.setMaxLength(64);
    name.setHelperText("1–64 of a-z, 0-9, - and _");
    name.setAriaLabel("Name");
    Button rename = new Button("Rename", e -> rename());
    rename.setId("rename-job");
    cost.setId("job-estimate");
    layout.setPadding(false);
    layout.add(new HorizontalLayout(name, rename), cost);
  }

  @Override
  public Component component() {
    return layout;
  }

  @Override
  public void show(FineTuneJob job) {
    if (!job.getId().equals(jobId)) {
      name.setValue(job.getSuffix() == null ? "" : job.getSuffix());
    }
    jobId = job.getId();
    cost.setText(
        estimates
            .comparison(job.getId())
            .map(c -> c.describe())
            .orElse(
                job.getStatus().finished()
                    ? "No estimate was stored for the node class this job ran on"
                    : "The estimate made when a node took the job is compared with the metered cost once the job ends"));
  }

  private void rename() {
    if (jobId == null) {
      return;
    }
    try {
      fineTunes.rename(jobId, name.getValue());
      Notification.show("Renamed", 3000, Notification.Position.BOTTOM_START);
    } catch (IllegalArgumentException problem) {
      Notification.show(problem.getMessage(), 6000, Notification.Position.MIDDLE)
          .addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
  }
}
