package dev.tuneforge.app.teacher.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import dev.tuneforge.app.teacher.TeacherEndpoint;
import dev.tuneforge.app.teacher.TeacherService;
import dev.tuneforge.app.usage.TokenCharge;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** The tenant's teacher endpoints: add one (the key is never shown again) and test a connection. */
class EndpointsPanel extends VerticalLayout {
  private final TeacherService teacher;
  private final Runnable changed;
  private final Grid<TeacherEndpoint> grid = new Grid<>(TeacherEndpoint.class, false);
  private final TextField name = new TextField("Name");
  private final TextField baseUrl = new TextField("Base URL");
  private final TextField model = new TextField("Model");
  private final PasswordField apiKey = new PasswordField("API key");
  private final BigDecimalField promptPrice = new BigDecimalField();
  private final BigDecimalField completionPrice = new BigDecimalField();
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
    grid.addColumn(e -> prices(e, teacher.currency()))
        .setHeader("Price per 1,000 tokens (prompt / completion)")
        .setAutoWidth(true);
    grid.setAllRowsVisible(true);
    Button test =
        new Button(
            "Test connection",
            e -> grid.getSelectedItems().stream().findFirst().ifPresent(this::test));
    test.setId("test-connection");
    test.setEnabled(false);
    promptPrice.setLabel("Prompt price per 1,000 tokens (" + teacher.currency() + ")");
    promptPrice.setId("endpoint-prompt-price");
    completionPrice.setLabel("Completion price per 1,000 tokens (" + teacher.currency() + ")");
    completionPrice.setId("endpoint-completion-price");
    Button price =
        new Button(
            "Set prices", e -> grid.getSelectedItems().stream().findFirst().ifPresent(this::price));
    price.setId("set-endpoint-prices");
    price.setEnabled(false);
    grid.addSelectionListener(
        e -> {
          test.setEnabled(e.getFirstSelectedItem().isPresent());
          price.setEnabled(e.getFirstSelectedItem().isPresent());
          e.getFirstSelectedItem()
              .ifPresent(
                  selected -> {
                    promptPrice.setValue(positive(selected.getPrices().prompt()));
                    completionPrice.setValue(positive(selected.getPrices().completion()));
                  });
        });
    message.setId("endpoint-message");

    HorizontalLayout form = new HorizontalLayout(name, baseUrl, model, apiKey, save);
    form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    form.setWrap(true);
    HorizontalLayout pricing = new HorizontalLayout(promptPrice, completionPrice, price);
    pricing.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    pricing.setWrap(true);
    add(
        new H3("Teacher endpoints"),
        form,
        grid,
        test,
        new Paragraph(
            "Prices are what the endpoint's provider charges: with them the LLM judge's calls"
                + " are costed, counted in usage and held to the monthly budget."),
        pricing,
        message);
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

  private void price(TeacherEndpoint endpoint) {
    try {
      TeacherEndpoint priced =
          teacher.price(endpoint.getId(), promptPrice.getValue(), completionPrice.getValue());
      show("Prices of " + priced.getName() + ": " + prices(priced, teacher.currency()), false);
      refresh();
    } catch (IllegalArgumentException e) {
      show(e.getMessage(), true);
    }
  }

  private static String prices(TeacherEndpoint endpoint, String currency) {
    TokenCharge.Prices prices = endpoint.getPrices();
    return prices.priced()
        ? prices.prompt().stripTrailingZeros().toPlainString()
            + " / "
            + prices.completion().stripTrailingZeros().toPlainString()
            + " "
            + currency
        : "not priced";
  }

  private static @Nullable BigDecimal positive(BigDecimal price) {
    return price.signum() > 0 ? price : null;
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
