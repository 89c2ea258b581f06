package dev.tuneforge.app.evaluation.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.shared.Registration;
import dev.tuneforge.app.evaluation.JudgePrompt;
import dev.tuneforge.app.evaluation.JudgeResults;
import dev.tuneforge.app.evaluation.JudgeRun;
import dev.tuneforge.app.evaluation.JudgeService;
import dev.tuneforge.app.teacher.TeacherEndpoint;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The LLM judge on the evaluation page: off until a member chooses one of the tenant's teacher
 * endpoints and starts it; then its progress, its figures with their intervals, its agreement with
 * field F1, what it cost in tokens, and the prompt it was given.
 */
class JudgeSection extends VerticalLayout {
  private static final int POLL_MILLIS = 2000;

  private final JudgeService judge;
  private final UUID jobId;
  private final boolean extraction;
  private final Select<TeacherEndpoint> endpoint = new Select<>();
  private final Button start = new Button("Judge base vs tuned");
  private final Button cancel = new Button("Cancel");
  private final Paragraph status = new Paragraph();
  private final Paragraph estimate = new Paragraph();
  private final VerticalLayout figures = new VerticalLayout();
  private @Nullable Registration polling;

  JudgeSection(JudgeService judge, UUID jobId, boolean extraction) {
    this.judge = judge;
    this.jobId = jobId;
    this.extraction = extraction;
    setPadding(false);
    setId("judge");
    add(
        new H3("LLM judge"),
        new Paragraph(
            "Optional, off until you start it: a teacher endpoint compares the base and the tuned"
                + " answer of every example, twice with the answers' order swapped; a model wins an"
                + " example only when both orders prefer it, otherwise it is a tie. The tokens are"
                + " billed by the endpoint's provider; where the endpoint has prices, they count"
                + " in usage and against the monthly budget."));
    endpoint.setId("judge-endpoint");
    endpoint.setLabel("Judge with");
    endpoint.setPlaceholder("Choose a teacher endpoint");
    endpoint.setItemLabelGenerator(e -> e.getName() + " · " + e.getModel());
    endpoint.setItems(judge.endpoints());
    endpoint.setEmptySelectionAllowed(false);
    endpoint.setMinWidth("18em");
    start.setId("judge-start");
    start.setEnabled(false);
    estimate.setId("judge-estimate");
    endpoint.addValueChangeListener(
        e -> {
          start.setEnabled(e.getValue() != null);
          showEstimate();
        });
    start.addClickListener(e -> launch());
    cancel.setId("judge-cancel");
    cancel.addClickListener(e -> judge.latest(jobId).ifPresent(run -> judge.cancel(run.getId())));
    HorizontalLayout controls = new HorizontalLayout(endpoint, start, cancel);
    controls.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    controls.setWrap(true);
    if (judge.endpoints().isEmpty()) {
      add(
          new Paragraph(
              "No teacher endpoint yet: add one under Datasets → Teacher to judge with it."),
          new Anchor("datasets/teacher", "Teacher endpoints"));
    } else {
      add(controls, estimate);
    }
    status.setId("judge-status");
    figures.setPadding(false);
    figures.setSpacing(false);
    Pre prompt = new Pre(JudgePrompt.template());
    prompt.setId("judge-prompt");
    prompt.getStyle().set("white-space", "pre-wrap");
    Details shown = new Details("The judge's prompt (" + JudgePrompt.ID + ")", prompt);
    shown.setOpened(true);
    add(status, figures, shown);
    refresh();
    addAttachListener(e -> refresh());
    addDetachListener(e -> follow(false));
  }

  /** Polls the run's progress while it is queued or running, and stops once it ended. */
  private void follow(boolean active) {
    Optional<UI> ui = getUI();
    if (active && polling == null && ui.isPresent()) {
      ui.get().setPollInterval(POLL_MILLIS);
      polling = ui.get().addPollListener(poll -> refresh());
    } else if (!active && polling != null) {
      polling.remove();
      polling = null;
      ui.ifPresent(u -> u.setPollInterval(-1));
    }
  }

  private void showEstimate() {
    TeacherEndpoint chosen = endpoint.getValue();
    if (chosen == null) {
      estimate.setText("");
      return;
    }
    try {
      estimate.setText("Estimate: " + judge.estimate(jobId, chosen.getId()).describe() + ".");
    } catch (IllegalArgumentException e) {
      estimate.setText(e.getMessage());
    }
  }

  private void launch() {
    try {
      judge.launch(jobId, endpoint.getValue().getId());
      refresh();
    } catch (IllegalArgumentException problem) {
      Notification.show(problem.getMessage(), 6000, Notification.Position.MIDDLE)
          .addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
  }

  private void refresh() {
    Optional<JudgeRun> latest = judge.latest(jobId);
    follow(latest.map(JudgeRun::isActive).orElse(false));
    cancel.setVisible(latest.map(JudgeRun::isActive).orElse(false));
    start.setVisible(!cancel.isVisible());
    figures.removeAll();
    if (latest.isEmpty()) {
      status.setText("Not judged.");
      return;
    }
    JudgeRun run = latest.get();
    status.getElement().setAttribute("data-status", run.getStatus().name());
    String by = " by " + run.getEndpointName() + " (" + run.getJudgeModel() + ")";
    switch (run.getStatus()) {
      case QUEUED -> status.setText("Waiting to be judged" + by + ".");
      case RUNNING ->
          status.setText(
              "Judging"
                  + by
                  + ": "
                  + run.getExamplesDone()
                  + " of "
                  + run.getExamplesTotal()
                  + " examples, "
                  + judge.cost(run)
                  + " so far.");
      case SUCCEEDED -> status.setText("Judged" + by + ".");
      case FAILED, CANCELLED ->
          status.setText(
              run.getError()
                  + " ("
                  + run.getExamplesDone()
                  + " of "
                  + run.getExamplesTotal()
                  + " judged; start it again to go on)");
    }
    judge.results(run).ifPresent(results -> show(results, judge.cost(run)));
    showEstimate();
  }

  private void show(JudgeResults results, String cost) {
    Paragraph verdict = line("judge-verdict", results.sentence());
    verdict.getStyle().set("font-weight", "600");
    figures.add(verdict);
    results.rates().forEach(rate -> figures.add(line(null, rate)));
    figures.add(
        line(
            "judge-order",
            "The two orders disagreed on "
                + results.orderDisagreements()
                + " of "
                + results.examples()
                + " examples (counted as ties)"
                + (results.unreadable() == 0
                    ? "."
                    : "; " + results.unreadable() + " answers named no winner (no preference).")));
    String agreement = results.agreementSentence();
    figures.add(
        line(
            "judge-agreement",
            agreement != null
                ? agreement
                : extraction
                    ? "No field F1 to compare with."
                    : "Free-text answers have no exact metric to compare the judge with."));
    figures.add(line("judge-cost", "Cost: " + cost + " for " + results.cost() + "."));
  }

  private static Paragraph line(@Nullable String id, String text) {
    Paragraph line = new Paragraph(text);
    if (id != null) {
      line.setId(id);
    }
    return line;
  }
}
