package dev.tuneforge.app.teacher.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import dev.tuneforge.app.teacher.TeacherRun;
import dev.tuneforge.app.teacher.TeacherService;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Generate an extraction dataset with a teacher model: endpoints, the run launcher and past runs.
 */
@Route("datasets/teacher")
@PageTitle("Teacher pipeline · Tuneforge")
@Menu(order = 1.5, title = "Teacher pipeline")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class TeacherView extends VerticalLayout {
  static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  private final TeacherService teacher;
  private final Grid<TeacherRun> runs = new Grid<>(TeacherRun.class, false);

  public TeacherView(TeacherService teacher) {
    this.teacher = teacher;
    RunLauncher launcher = new RunLauncher(teacher);
    EndpointsPanel endpoints = new EndpointsPanel(teacher, launcher::refresh);

    runs.setId("teacher-runs");
    runs.addColumn(TeacherRun::getName).setHeader("Run").setAutoWidth(true).setFlexGrow(1);
    runs.addColumn(run -> run.getStatus().name().toLowerCase(java.util.Locale.ROOT))
        .setHeader("Status")
        .setAutoWidth(true);
    runs.addColumn(TeacherRun::getTeacherModel).setHeader("Teacher").setAutoWidth(true);
    runs.addColumn(TeacherRun::getPlannedDocuments)
        .setHeader("Documents planned")
        .setAutoWidth(true);
    runs.addColumn(run -> WHEN.format(run.getCreatedAt())).setHeader("Created").setAutoWidth(true);
    runs.setAllRowsVisible(true);
    runs.addItemClickListener(
        e ->
            e.getSource()
                .getUI()
                .ifPresent(
                    ui ->
                        ui.navigate(
                            TeacherRunView.class,
                            new RouteParameters(
                                TeacherRunView.RUN_ID, e.getItem().getId().toString()))));

    add(
        new H2("Teacher pipeline"),
        new Paragraph(
            "A teacher model behind any OpenAI-compatible chat endpoint writes categories, subtopics and "
                + "documents for your domain, extracts your fields from each document, and judges its own extractions. "
                + "Accepted rows whose JSON matches the schema become a dataset version."),
        endpoints,
        launcher,
        new H3("Runs"),
        runs);
    runs.setItems(teacher.runs());
  }
}
