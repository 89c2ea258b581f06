package dev.tuneforge.app.teacher.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.RouteParameters;
import dev.tuneforge.app.teacher.ExtractionSchema;
import dev.tuneforge.app.teacher.TeacherEndpoint;
import dev.tuneforge.app.teacher.TeacherRun;
import dev.tuneforge.app.teacher.TeacherRunRequest;
import dev.tuneforge.app.teacher.TeacherService;

/**
 * The form that launches a run: endpoint, domain, schema, counts, temperature, seed and whether to
 * make preference pairs.
 */
class RunLauncher extends VerticalLayout {
  private final TeacherService teacher;
  private final Select<TeacherEndpoint> endpoint = new Select<>();
  private final TextField name = new TextField("Dataset name");
  private final TextArea domain = new TextArea("Domain");
  private final TextArea schema =
      new TextArea("Fields to extract, one a line as name: description");
  private final IntegerField categories = integer("Categories", "run-categories", 3);
  private final IntegerField subtopics = integer("Subtopics per category", "run-subtopics", 3);
  private final IntegerField documents = integer("Documents per subtopic", "run-documents", 2);
  private final NumberField temperature =
      new NumberField("Temperature (categories, subtopics, documents)");
  private final IntegerField seed = integer("Seed", "run-seed", 42);
  private final Checkbox pairs = new Checkbox("Also make preference pairs (DPO)");
  private final IntegerField margin =
      integer("Pair margin (points of 10)", "run-pair-margin", TeacherRunRequest.DEFAULT_MARGIN);
  private final Div problem = new Div();

  RunLauncher(TeacherService teacher) {
    this.teacher = teacher;
    setPadding(false);
    endpoint.setId("run-endpoint");
    endpoint.setLabel("Teacher endpoint");
    endpoint.setItemLabelGenerator(e -> e.getName() + " · " + e.getModel());
    name.setId("run-name");
    name.setPlaceholder("e.g. synthetic-receipts");
    name.setHelperText("The result is stored as a new version of this dataset");
    domain.setId("run-domain");
    domain.setValue("Printed shop receipts from Malaysian retailers, as OCR text");
    schema.setId("run-schema");
    schema.setValue(
        "company: the seller's name\ndate: the date of purchase\naddress: the seller's address\n"
            + "total: the amount paid, as printed");
    schema.setMinHeight("8em");
    temperature.setId("run-temperature");
    temperature.setValue(0.8);
    temperature.setMin(0);
    temperature.setMax(2);
    temperature.setStep(0.1);
    pairs.setId("run-pairs");
    pairs.setTooltipText(
        "Extract every document a second time at temperature 1 and let the judge score both;"
            + " where the scores differ by the margin, the better is chosen and the worse rejected."
            + " Doubles the extraction and judge calls.");
    margin.setMax(9);
    margin.setEnabled(false);
    pairs.addValueChangeListener(e -> margin.setEnabled(e.getValue()));
    problem.setId("run-problem");
    problem.getStyle().set("color", "var(--lumo-error-text-color)");
    Button launch = new Button("Launch run", e -> launch());
    launch.setId("launch-run");
    launch.addThemeVariants(ButtonVariant.LUMO_PRIMARY);

    FormLayout form =
        new FormLayout(
            endpoint,
            name,
            domain,
            schema,
            categories,
            subtopics,
            documents,
            temperature,
            seed,
            pairs,
            margin);
    form.setColspan(domain, 2);
    form.setColspan(schema, 2);
    add(new H3("New run"), form, launch, problem);
    refresh();
  }

  void refresh() {
    endpoint.setItems(teacher.endpoints());
  }

  private void launch() {
    if (endpoint.getValue() == null) {
      problem.setText("Choose a teacher endpoint (add one above first)");
      return;
    }
    if (categories.getValue() == null
        || subtopics.getValue() == null
        || documents.getValue() == null
        || temperature.getValue() == null
        || seed.getValue() == null
        || margin.getValue() == null) {
      problem.setText("Fill in every number");
      return;
    }
    try {
      TeacherRun run =
          teacher.launch(
              new TeacherRunRequest(
                  endpoint.getValue().getId(),
                  name.getValue(),
                  domain.getValue(),
                  ExtractionSchema.parse(schema.getValue()),
                  categories.getValue(),
                  subtopics.getValue(),
                  documents.getValue(),
                  temperature.getValue(),
                  seed.getValue(),
                  pairs.getValue(),
                  margin.getValue()));
      problem.setText("");
      getUI()
          .ifPresent(
              ui ->
                  ui.navigate(
                      TeacherRunView.class,
                      new RouteParameters(TeacherRunView.RUN_ID, run.getId().toString())));
    } catch (IllegalArgumentException e) {
      problem.setText(e.getMessage());
    }
  }

  private static IntegerField integer(String label, String id, int value) {
    IntegerField field = new IntegerField(label);
    field.setId(id);
    field.setMin(id.equals("run-seed") ? 0 : 1);
    field.setValue(value);
    field.setStepButtonsVisible(true);
    return field;
  }
}
