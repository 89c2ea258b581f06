package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import dev.tuneforge.app.base.ui.LineChart;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.finetune.JobUpdates;
import dev.tuneforge.app.finetune.ui.section.JobPageSection;
import dev.tuneforge.protocol.JobEvent;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * One fine-tune: status, settings, the loss curve and event log updating live by server push, and
 * the adapter (or, for a full fine-tune, the tuned model) download once it succeeded. Unknown ids
 * and other tenants' jobs look alike.
 */
@Route("finetunes/:jobId")
@PageTitle("Fine-tune · Tuneforge")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class FineTuneDetailView extends VerticalLayout implements BeforeEnterObserver {
  static final String JOB_ID = "jobId";

  /** Opens the job's page in the UI that {@code source} is attached to. */
  static void open(Component source, UUID jobId) {
    source
        .getUI()
        .ifPresent(
            ui ->
                ui.navigate(
                    FineTuneDetailView.class, new RouteParameters(JOB_ID, jobId.toString())));
  }

  private final FineTuneService fineTunes;
  private final H2 title = new H2();
  private final Div status = new Div();
  private final Paragraph method = new Paragraph();
  private final Paragraph summary = new Paragraph();
  private final Paragraph error = new Paragraph();
  private final Paragraph hold = new Paragraph();
  private final LineChart chart =
      new LineChart("loss-chart", "Training and validation loss by step", "No loss reported yet");
  private final Div progress = new Div();
  private final LineChart fieldF1 =
      new LineChart(
          "field-f1-chart",
          "Field F1 on the validation sample by step",
          "No field F1 yet: it is measured with each validation loss when the answers are JSON");
  private final Div sample = new Div();
  private final Anchor evaluation = new Anchor();
  private final Anchor judge = new Anchor();
  private final Anchor playground = new Anchor();
  private final Grid<JobEventRecord> log = new Grid<>(JobEventRecord.class, false);
  private final Anchor download = new Anchor();
  private final Button cancel = new Button("Cancel");
  private final List<JobPageSection> sections;
  private @Nullable UUID jobId;

  public FineTuneDetailView(
      FineTuneService fineTunes, JobUpdates updates, ObjectProvider<JobPageSection> contributed) {
    this.fineTunes = fineTunes;
    this.sections = contributed.orderedStream().toList();
    status.setId("job-status");
    summary.setId("job-summary");
    method.setId("job-method");
    error.setId("job-error");
    error.getStyle().set("color", "var(--lumo-error-text-color)");
    hold.setId("job-hold");
    hold.getStyle().set("color", "var(--lumo-warning-text-color, #b25e00)");
    download.setId("download-adapter");
    download.setText("Download adapter (PEFT)");
    download.getElement().setAttribute("download", true);
    download.setRouterIgnore(true);
    cancel.setId("cancel-job");
    cancel.addThemeVariants(ButtonVariant.LUMO_ERROR);
    cancel.addClickListener(
        e -> {
          if (jobId != null) {
            fineTunes.cancel(jobId);
            refresh();
          }
        });
    progress.setId("job-progress");
    sample.setId("job-sample");
    sample
        .getStyle()
        .set("white-space", "pre-wrap")
        .set("font-family", "var(--lumo-font-family-monospace)")
        .set("font-size", "var(--lumo-font-size-s)")
        .set("max-height", "8em")
        .set("overflow", "auto");
    evaluation.setId("open-evaluation");
    evaluation.setText("Evaluation: base vs tuned");
    judge.setId("open-judge");
    judge.setText("Judge with an LLM");
    playground.setId("open-playground");
    playground.setText("Playground");
    log.setId("job-events");
    log.addColumn(e -> FineTunesView.WHEN.format(e.getAt()))
        .setHeader("Time")
        .setAutoWidth(true)
        .setFlexGrow(0);
    log.addColumn(FineTuneDetailView::describe).setHeader("Event").setFlexGrow(1);
    log.setHeight("320px");

    add(
        title,
        new HorizontalLayout(
            new Span("Status:"), status, cancel, download, evaluation, judge, playground),
        method,
        summary,
        progress,
        hold,
        error);
    sections.forEach(section -> add(section.component()));
    add(
        new H3("Loss"),
        chart,
        fieldF1,
        new H3("Latest sample from the validation set"),
        sample,
        new H3("Events"),
        log);
    LiveUpdates.bind(
        this,
        updates,
        changed -> {
          if (changed.equals(jobId)) {
            refresh();
          }
        });
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    jobId = event.getRouteParameters().get(JOB_ID).flatMap(FineTuneDetailView::parse).orElse(null);
    if (jobId == null || fineTunes.find(jobId).isEmpty()) {
      event.rerouteToError(com.vaadin.flow.router.NotFoundException.class, "No such fine-tune");
      return;
    }
    refresh();
  }

  private void refresh() {
    if (jobId == null) {
      return;
    }
    FineTuneJob job = fineTunes.find(jobId).orElse(null);
    if (job == null) {
      return;
    }
    List<JobEventRecord> events = fineTunes.events(jobId);
    title.setText(job.getLabel());
    status.removeAll();
    status.add(StatusBadge.of(job.getStatus()));
    boolean full = job.isFullFineTuning();
    method.setText(
        full
            ? "Method: full fine-tuning. Every weight is trained; the result is the whole tuned model in Hugging Face"
                + " layout (model.safetensors in fp32, config, tokenizer files), to use in place of the base model."
            : FineTuneRequest.QLORA.equals(job.getMethod())
                ? "Method: QLoRA (LoRA over the base kept in 4-bit NF4). The result is an adapter in PEFT's layout,"
                    + " to load on top of the base model."
                : "Method: LoRA. The result is an adapter in PEFT's layout, to load on top of the base model.");
    String trained =
        full
            ? "Full fine-tuning of every weight"
            : String.format(
                Locale.ROOT,
                "LoRA r=%d alpha=%s dropout=%s on %s",
                job.getLoraR(),
                job.getLoraAlpha(),
                job.getLoraDropout(),
                String.join(", ", job.getTargetModules()));
    summary.setText(
        String.format(
            Locale.ROOT,
            "%s · %d epochs, lr %s, batch %d, max length %d, seed %d · %s · %d steps, %d trained"
                + " tokens · %s",
            trained,
            job.getEpochs(),
            job.getLearningRate(),
            job.getBatchSize(),
            job.getMaxSeqLength(),
            job.getSeed(),
            job.getEvaluationExamples() > 0
                ? String.format(
                    Locale.ROOT,
                    "evaluates %d examples, at most %d new tokens per answer",
                    job.getEvaluationExamples(),
                    job.getEvaluationMaxNewTokens())
                : "no evaluation",
            job.getSteps(),
            job.getTrainedTokens(),
            job.getLastCheckpointStep() == null
                ? "no checkpoint yet"
                : "last checkpoint: step " + job.getLastCheckpointStep()));
    error.setText(job.getError() == null ? "" : job.getError());
    error.setVisible(job.getError() != null && job.getStatus() == JobStatus.FAILED);
    hold.setText(job.getHoldReason() == null ? "" : job.getHoldReason());
    hold.setVisible(job.getHoldReason() != null && !job.getStatus().finished());
    cancel.setVisible(!job.getStatus().finished());
    boolean done = job.getStatus() == JobStatus.SUCCEEDED;
    download.setVisible(done);
    if (done) {
      download.setHref("/finetunes/" + job.getId() + (full ? "/model.zip" : "/adapter.zip"));
      download.setText(
          full ? "Download tuned model (Hugging Face, safetensors)" : "Download adapter (PEFT)");
    }
    evaluation.setVisible(done && job.getEvaluationExamples() > 0 && !job.isDpo());
    evaluation.setHref("finetunes/" + job.getId() + "/evaluation");
    judge.setVisible(evaluation.isVisible());
    judge.setHref("finetunes/" + job.getId() + "/evaluation#judge");
    playground.setVisible(done);
    playground.setHref("finetunes/" + job.getId() + "/playground");
    sections.forEach(section -> section.show(job));
    chart.show(
        List.of(
            LineChart.Series.of(
                "training loss",
                JobEventRecord.curve(events, JobEvent.Type.METRIC),
                JobEventRecord.LossPoint::step,
                JobEventRecord.LossPoint::loss,
                false),
            LineChart.Series.of(
                "validation loss",
                JobEventRecord.curve(events, JobEvent.Type.VALIDATION),
                JobEventRecord.LossPoint::step,
                JobEventRecord.LossPoint::loss,
                true)));
    fieldF1.show(
        List.of(
            LineChart.Series.of(
                "field F1",
                JobEventRecord.curve(events, JobEvent.Type.FIELD_F1),
                JobEventRecord.LossPoint::step,
                JobEventRecord.LossPoint::loss,
                false)));
    JobEventRecord latestSample = last(events, JobEvent.Type.SAMPLE);
    sample.setText(
        latestSample == null
            ? noSample(job, last(events, JobEvent.Type.VALIDATION) != null)
            : "step " + latestSample.getStep() + ": " + latestSample.getMessage());
    JobEventRecord evaluating = last(events, JobEvent.Type.EVALUATION);
    progress.setText(
        evaluating == null || job.getStatus().finished()
            ? ""
            : "Evaluating: "
                + evaluating.getStep()
                + " of "
                + evaluating.getTotalSteps()
                + " examples answered by both models");
    log.setItems(
        events.stream()
            .filter(
                e ->
                    e.getType() != JobEvent.Type.METRIC && e.getType() != JobEvent.Type.EVALUATION
                        || isMilestone(e))
            .toList()
            .reversed());
  }

  private static @Nullable JobEventRecord last(List<JobEventRecord> events, JobEvent.Type type) {
    JobEventRecord found = null;
    for (JobEventRecord e : events) {
      if (e.getType() == type) {
        found = e;
      }
    }
    return found;
  }

  /** Why there is no sample, in the job's own terms: not yet, or what happened instead. */
  static String noSample(FineTuneJob job, boolean validated) {
    if (!job.getStatus().finished()) {
      return "No sample yet: one is generated each time the validation loss is measured";
    }
    if (validated) {
      return "No sample: the validation loss was measured but the model's answer could not be"
          + " generated (the event log says why)";
    }
    return job.getStatus() == JobStatus.SUCCEEDED
        ? "No sample: samples come from the validation split, and this job's dataset has none"
        : "No sample: the job ended before its validation loss was first measured";
  }

  private static boolean isMilestone(JobEventRecord e) {
    return e.getStep() != null
        && (e.getStep() == 1 || e.getStep() % 10 == 0 || e.getStep().equals(e.getTotalSteps()));
  }

  private static String describe(JobEventRecord e) {
    if (e.getType() == JobEvent.Type.METRIC) {
      return String.format(
          Locale.ROOT,
          "step %d/%s · loss %.4f · lr %.2e · %.0f tokens/s",
          e.getStep(),
          e.getTotalSteps() == null ? "?" : e.getTotalSteps().toString(),
          e.getLoss() == null ? Double.NaN : e.getLoss(),
          e.getLearningRate() == null ? Double.NaN : e.getLearningRate(),
          e.getTokensPerSecond() == null ? Double.NaN : e.getTokensPerSecond());
    }
    if (e.getType() == JobEvent.Type.SAMPLE) {
      return "sample at step " + e.getStep() + ": " + e.getMessage();
    }
    return e.getMessage() == null ? "" : e.getMessage();
  }

  private static java.util.Optional<UUID> parse(String id) {
    try {
      return java.util.Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }
}
