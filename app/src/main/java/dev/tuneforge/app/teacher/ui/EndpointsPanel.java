package dev.tuneforge.app.teacher.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import dev.tuneforge.app.teacher.TeacherEndpoint;
import dev.tuneforge.app.teacher.TeacherService;

/** The tenant's teacher endpoints: add one (the key is never shown again) and test a connection. */
class EndpointsPanel extends VerticalLayout {
  private final TeacherService teacher;
  private final Runnable changed;
  private final Grid<TeacherEndpoint> grid = new Grid<>(TeacherEndpoint.class, false);
  private final TextField name = new TextField("Name");
  private final TextField baseUrl = new TextField("Base URL");
  private final TextField model = new TextField("Model");
  private final PasswordField apiKey = new PasswordField("API key");
  private final Div message = new Div();

  EndpointsPanel(TeacherService teacher, Runnable changed) {
    this.teacher = teacher;
    this.changed = changed;
    setPadding(false);
    name.setId("endpoint-name");
    baseUrl.setId("endpoint-base-url");
    baseUrl.setPlaceholder("https://api.openai.com/v1");
    baseUrl.setHelperText("Calls go to <base URL>/chat/completions");
    model.setId("endpoint-model");
    model.setPlaceholder("gpt-4o-mini");
    apiKey.setId("endpoint-api-key");
    apiKey.setHelperText("Stored encrypted; only its last four characters are shown again");
    Button save = new Button("Save endpoint", e -> save());
    save.setId("save-endpoint");
    save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);

    grid.setId("teacher-endpoints");
    grid.addColumn(TeacherEndpoint::getName).setHeader("Name").setAutoWidth(true);
    grid.addColumn(TeacherEndpoint::getBaseUrl).setHeader("Base URL").setAutoWidth(true);
    grid.addColumn(TeacherEndpoint::getModel).setHeader("Model").setAutoWidth(true);
    grid.addColumn(TeacherEndpoint::getMaskedKey).setHeader("API key").setAutoWidth(true);
    grid.setAllRowsVisible(true);
    Button test =
        new Button(
            "Test connection",
            e -> grid.getSelectedItems().stream().findFirst().ifPresent(this::test));
    test.setId("test-connection");
    test.setEnabled(false);
    grid.addSelectionListener(e -> test.setEnabled(e.getFirstSelectedItem().isPresent()));
    message.setId("endpoint-message");

    HorizontalLayout form = new HorizontalLayout(name, baseUrl, model, apiKey, save);
    form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    form.setWrap(true);
    add(new H3("Teacher endpoints"), form, grid, test, message);
    refresh();
  }

  private void save() {
    try {
      TeacherEndpoint saved =
          teacher.addEndpoint(
              name.getValue(), baseUrl.getValue(), model.getValue(), apiKey.getValue());
      apiKey.clear();
      name.clear();
      show("Saved " + saved.getName() + " (key " + saved.getMaskedKey() + ")", false);
      refresh();
      changed.run();
    } catch (IllegalArgumentException e) {
      show(e.getMessage(), true);
    }
  }

  private void test(TeacherEndpoint endpoint) {
    try {
      String answer = teacher.testConnection(endpoint.getId());
      show("Connected to " + endpoint.getName() + ": the model answered \"" + answer + "\"", false);
    } catch (IllegalArgumentException e) {
      show("Connection to " + endpoint.getName() + " failed: " + e.getMessage(), true);
    } catch (IllegalStateException e) {
      show(e.getMessage(), true);
    }
  }

  private void show(String text, boolean error) {
    message.setText(text);
    message
        .getStyle()
        .set("color", error ? "var(--lumo-error-text-color)" : "var(--lumo-success-text-color)");
  }

  private void refresh() {
    grid.setItems(teacher.endpoints());
  }
}
