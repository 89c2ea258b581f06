package dev.tuneforge.app.synthetic.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.synthetic.DocumentKind;
import dev.tuneforge.app.synthetic.GeneratedExample;
import dev.tuneforge.app.synthetic.GenerationJob;
import dev.tuneforge.app.synthetic.GenerationSpec;
import dev.tuneforge.app.synthetic.GenerationUpdates;
import dev.tuneforge.app.synthetic.SyntheticDataService;
import dev.tuneforge.app.tenancy.TenantContext;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Define the fields to extract and the documents to write them into, preview three rows, and
 * generate a dataset version in the background; jobs update live by server push.
 */
@Route("datasets/generate")
@PageTitle("Generate data · Tuneforge")
@Menu(order = 1.5, title = "Generate data")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class GenerateDatasetView extends VerticalLayout {
  private final SyntheticDataService synthetic;
  private final GenerationUpdates updates;
  private final FieldEditor fields = new FieldEditor();
  private final Select<DocumentKind> kind = new Select<>();
  private final IntegerField count = new IntegerField("Rows");
  private final IntegerField seed = new IntegerField("Seed");
  private final NumberField noise = new NumberField("Noise (0–1)");
  private final TextField name = new TextField("Dataset name");
  private final Paragraph problem = new Paragraph();
  private final Div preview = new Div();
  private final GenerationJobsGrid jobs;
  private @Nullable Runnable unregister;

  public GenerateDatasetView(
      SyntheticDataService synthetic, DatasetService datasets, GenerationUpdates updates) {
    this.synthetic = synthetic;
    this.updates = updates;
    this.jobs = new GenerationJobsGrid(synthetic, datasets);

    kind.setId("document-kind");
    kind.setLabel("Document kind");
    kind.setItems(DocumentKind.values());
    kind.setItemLabelGenerator(DocumentKind::label);
    kind.setValue(DocumentKind.RECEIPT);
    count.setId("row-count");
    count.setMin(1);
    count.setMax(synthetic.maxRows());
    count.setValue(500);
    count.setStepButtonsVisible(true);
    count.setHelperText("At most " + synthetic.maxRows());
    seed.setId("seed");
    seed.setValue(42);
    seed.setHelperText("Same spec and seed, same rows");
    noise.setId("noise");
    noise.setMin(0);
    noise.setMax(1);
    noise.setStep(0.05);
    noise.setValue(0.2);
    noise.setStepButtonsVisible(true);
    noise.setHelperText("OCR errors, omissions, distractors");
    name.setId("generate-dataset-name");
    name.setPlaceholder("e.g. synthetic receipts");
    name.setHelperText("An existing name gets a new version");
    problem.setId("generation-problem");
    problem.getStyle().set("color", "var(--lumo-error-text-color)");
    problem.setVisible(false);
    preview.setId("generation-preview");
    preview.setWidthFull();

    Button previewButton = new Button("Preview 3 rows", e -> showPreview());
    previewButton.setId("preview-rows");
    Button start = new Button("Generate", e -> start());
    start.setId("start-generation");
    start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    HorizontalLayout settings = new HorizontalLayout(kind, count, seed, noise, name);
    settings.setWrap(true);
    HorizontalLayout actions = new HorizontalLayout(previewButton, start);
    actions.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

    add(
        new H2("Generate synthetic data"),
        new Paragraph(
            "Define the fields to extract; the generator writes realistic documents with those values in them "
                + "and the exact answer as JSON, so every label is right by construction. The result is a dataset version "
                + "like an upload, with the same validation and quality report."),
        fields,
        settings,
        actions,
        problem,
        preview,
        new H3("Generation jobs"),
        jobs);
    jobs.refresh();
  }

  private @Nullable GenerationSpec spec() {
    Integer rows = count.getValue();
    Integer seedValue = seed.getValue();
    Double noiseValue = noise.getValue();
    if (rows == null || seedValue == null || noiseValue == null || kind.getValue() == null) {
      show("Fill in the document kind, rows, seed and noise");
      return null;
    }
    return new GenerationSpec(fields.fields(), kind.getValue(), rows, seedValue, noiseValue);
  }

  private void showPreview() {
    GenerationSpec spec = spec();
    if (spec == null) {
      return;
    }
    try {
      List<GeneratedExample> rows = synthetic.preview(spec);
      problem.setVisible(false);
      preview.removeAll();
      Pre prompt = new Pre(synthetic.systemPrompt(spec));
      prompt.setId("preview-system-prompt");
      prompt.getStyle().set("white-space", "pre-wrap");
      preview.add(new H3("System prompt"), prompt);
      for (int i = 0; i < rows.size(); i++) {
        Pre document = new Pre(rows.get(i).document());
        document.setId("preview-document-" + i);
        document.getStyle().set("white-space", "pre-wrap");
        Pre answer = new Pre(rows.get(i).answer());
        answer.setId("preview-answer-" + i);
        answer.getStyle().set("white-space", "pre-wrap");
        preview.add(new H3("Row " + (i + 1)), document, answer);
      }
    } catch (IllegalArgumentException e) {
      show(e.getMessage());
    }
  }

  private void start() {
    GenerationSpec spec = spec();
    if (spec == null) {
      return;
    }
    try {
      GenerationJob job = synthetic.start(name.getValue(), spec);
      problem.setVisible(false);
      Notification.show(
              "Generating " + job.getRowCount() + " rows into " + job.getDatasetName(),
              4000,
              Notification.Position.BOTTOM_START)
          .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
      jobs.refresh();
    } catch (IllegalArgumentException e) {
      show(e.getMessage());
    }
  }

  private void show(@Nullable String message) {
    problem.setText(message == null ? "Something is wrong with the spec" : message);
    problem.setVisible(true);
  }

  @Override
  protected void onAttach(AttachEvent attach) {
    UI ui = attach.getUI();
    UUID tenant = TenantContext.requireTenant();
    unregister =
        updates.register(
            tenant, jobId -> ui.access(() -> TenantContext.runAs(tenant, jobs::refresh)));
  }

  @Override
  protected void onDetach(DetachEvent detach) {
    if (unregister != null) {
      unregister.run();
      unregister = null;
    }
  }
}
