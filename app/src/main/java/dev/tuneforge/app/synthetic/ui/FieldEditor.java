package dev.tuneforge.app.synthetic.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.tuneforge.app.synthetic.FieldSpec;
import dev.tuneforge.app.synthetic.FieldType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fields to extract, one table row each: name, type, description and examples (separated by
 * {@code |}, since values such as addresses contain commas). Inputs carry ids by row number.
 */
final class FieldEditor extends VerticalLayout {
  static final String EXAMPLE_SEPARATOR = "|";

  /** One editable row; its inputs write straight into it. */
  static final class Row {
    String name;
    FieldType type;
    String description;
    String examples;

    Row(String name, FieldType type, String description, String examples) {
      this.name = name;
      this.type = type;
      this.description = description;
      this.examples = examples;
    }

    FieldSpec toSpec() {
      List<String> values =
          Arrays.stream(examples.split("\\" + EXAMPLE_SEPARATOR))
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .toList();
      return new FieldSpec(name, type, description, values);
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final VerticalLayout table = new VerticalLayout();

  FieldEditor() {
    rows.add(new Row("vendor", FieldType.COMPANY, "The seller's name", ""));
    rows.add(new Row("date", FieldType.DATE, "The date of the document", ""));
    rows.add(new Row("total", FieldType.MONEY, "The amount to pay, tax included", ""));
    table.setId("fields-grid");
    table.setPadding(false);
    table.setSpacing(false);
    Button add =
        new Button(
            "Add field",
            e -> {
              rows.add(new Row("", FieldType.STRING, "", ""));
              refresh();
            });
    add.setId("add-field");
    setPadding(false);
    add(table, add);
    refresh();
  }

  List<FieldSpec> fields() {
    return rows.stream().map(Row::toSpec).toList();
  }

  private TextField text(
      Row row,
      String idPrefix,
      String value,
      java.util.function.Consumer<String> set,
      String placeholder) {
    TextField field = new TextField();
    field.setId(idPrefix + rows.indexOf(row));
    field.setValue(value);
    field.setPlaceholder(placeholder);
    field.setWidthFull();
    field.setValueChangeMode(ValueChangeMode.EAGER);
    field.addValueChangeListener(e -> set.accept(e.getValue()));
    return field;
  }

  private Select<FieldType> typeSelect(Row row) {
    Select<FieldType> type = new Select<>();
    type.setId("field-type-" + rows.indexOf(row));
    type.setItems(FieldType.values());
    type.setItemLabelGenerator(FieldType::id);
    type.setValue(row.type);
    type.setTooltipText(row.type.hint());
    type.setWidthFull();
    type.addValueChangeListener(
        e -> {
          row.type = e.getValue();
          type.setTooltipText(e.getValue().hint());
        });
    return type;
  }

  private void refresh() {
    table.removeAll();
    HorizontalLayout header =
        line(
            new Span("Name"),
            new Span("Type"),
            new Span("Description"),
            new Span("Examples (separate with " + EXAMPLE_SEPARATOR + ")"),
            new Span());
    header
        .getStyle()
        .set("font-size", "var(--lumo-font-size-s)")
        .set("color", "var(--lumo-secondary-text-color)");
    table.add(header);
    for (Row row : rows) {
      Button remove =
          new Button(
              "Remove",
              e -> {
                rows.remove(row);
                refresh();
              });
      remove.setId("remove-field-" + rows.indexOf(row));
      remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
      table.add(
          line(
              text(row, "field-name-", row.name, v -> row.name = v, "e.g. invoice_number"),
              typeSelect(row),
              text(
                  row,
                  "field-description-",
                  row.description,
                  v -> row.description = v,
                  "What the model is told"),
              text(row, "field-examples-", row.examples, v -> row.examples = v, "a | b | c"),
              remove));
    }
  }

  /**
   * One row of the table: name, type, description, examples and the remove button, in fixed
   * proportions.
   */
  private static HorizontalLayout line(
      Component name, Component type, Component description, Component examples, Component remove) {
    HorizontalLayout line = new HorizontalLayout(name, type, description, examples, remove);
    line.setWidthFull();
    line.setFlexGrow(2, name);
    line.setFlexGrow(1, type);
    line.setFlexGrow(3, description);
    line.setFlexGrow(3, examples);
    line.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    for (Component c : List.of(name, type, description, examples)) {
      ((HasSize) c).setWidth("0");
    }
    ((HasSize) type).setMinWidth("9em");
    ((HasSize) remove).setMinWidth("6em");
    return line;
  }
}
