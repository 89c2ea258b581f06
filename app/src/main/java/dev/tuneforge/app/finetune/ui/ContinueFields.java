package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.textfield.IntegerField;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.JobStatus;
import java.util.EnumSet;
import java.util.List;

/**
 * The form's continuation: an earlier job of the team to start from instead of the base model, and
 * the checkpoint step (empty: its final weights).
 */
final class ContinueFields {
  final ComboBox<FineTuneJob> source = new ComboBox<>("Continue from");
  final IntegerField step = new IntegerField("At checkpoint step");

  ContinueFields(List<FineTuneJob> jobs) {
    EnumSet<JobStatus> ended =
        EnumSet.of(JobStatus.SUCCEEDED, JobStatus.CANCELLED, JobStatus.FAILED);
    source.setId("continue-from");
    source.setItems(
        jobs.stream()
            .filter(job -> ended.contains(job.getStatus()) && job.getLastCheckpointStep() != null)
            .toList());
    source.setItemLabelGenerator(
        job -> job.getLabel() + " · " + job.getStatus().wire() + ", " + job.getSteps() + " steps");
    source.setPlaceholder("The base model (a fresh start)");
    source.setClearButtonVisible(true);
    source.setHelperText(
        "Same base model, method, LoRA rank and target modules; new data and settings");
    source.setWidthFull();
    step.setId("continue-from-step");
    step.setMin(1);
    step.setPlaceholder("Its final weights");
    step.setHelperText("A step it saved a checkpoint at");
    step.setEnabled(false);
    source.addValueChangeListener(e -> step.setEnabled(e.getValue() != null));
  }

  FineTuneRequest.Builder applyTo(FineTuneRequest.Builder request) {
    FineTuneJob job = source.getValue();
    return request.optContinueFrom(job == null ? null : job.getId(), step.getValue());
  }
}
