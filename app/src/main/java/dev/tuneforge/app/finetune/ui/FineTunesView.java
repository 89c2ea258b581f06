package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobUpdates;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The team's fine-tunes, newest first, updating live. */
@Route("finetunes")
@PageTitle("Fine-tunes · Tuneforge")
@Menu(order = 2, title = "Fine-tunes")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class FineTunesView extends VerticalLayout {
  static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private final FineTuneService fineTunes;
  private final Grid<FineTuneJob> grid = new Grid<>(FineTuneJob.class, false);

  public FineTunesView(FineTuneService fineTunes, JobUpdates updates) {
    this.fineTunes = fineTunes;
    Button create =
        new Button(
            "New fine-tune",
            e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(NewFineTuneView.class)));
    create.setId("new-finetune");
    create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);

    Button compare =
        new Button(
            "Compare selected",
            e -> {
              String ids =
                  String.join(
                      ",",
                      grid.getSelectedItems().stream().map(job -> job.getId().toString()).toList());
              e.getSource()
                  .getUI()
                  .ifPresent(ui -> ui.navigate("compare", QueryParameters.of("ids", ids)));
            });
    compare.setId("compare-selected");
    compare.setEnabled(false);

    grid.setId("finetunes-grid");
    grid.setSelectionMode(Grid.SelectionMode.MULTI);
    grid.addSelectionListener(e -> compare.setEnabled(e.getAllSelectedItems().size() >= 2));
    grid.addColumn(FineTuneJob::getLabel).setHeader("Fine-tune").setAutoWidth(true).setFlexGrow(1);
    grid.addComponentColumn(job -> StatusBadge.of(job.getStatus()))
        .setHeader("Status")
        .setAutoWidth(true);
    grid.addColumn(FineTuneJob::getSteps).setHeader("Steps").setAutoWidth(true);
    grid.addColumn(FineTuneJob::getTrainedTokens).setHeader("Trained tokens").setAutoWidth(true);
    grid.addColumn(job -> WHEN.format(job.getCreatedAt())).setHeader("Created").setAutoWidth(true);
    grid.addItemClickListener(e -> FineTuneDetailView.open(e.getSource(), e.getItem().getId()));

    add(new HorizontalLayout(new H2("Fine-tunes"), create, compare), grid);
    setSizeFull();
    refresh();
    LiveUpdates.bind(this, updates, jobId -> refresh());
  }

  private void refresh() {
    grid.setItems(fineTunes.list());
  }
}
