package dev.tuneforge.app.synthetic.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
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
 * The fields to extract, one grid row each: name, type, description and examples (separated by
 * {@code |}, since values such as addresses contain commas). Inputs carry ids by row number.
 */
final class FieldEditor extends VerticalLayout {
  static final String EXAMPLE_SEPARATOR = "|";

  /** One editable row; the grid's inputs write straight into it. */
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
      List<String> values = Arrays.stream(examples.split("\\" + EXAMPLE_SEPARATOR)).map(String::strip).filter(s -> !s.isEmpty()).toList();
      return new FieldSpec(name, type, description, values);
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final Grid<Row> grid = new Grid<>();

  FieldEditor() {
    rows.add(new Row("vendor", FieldType.COMPANY, "The seller's name", ""));
    rows.add(new Row("date", FieldType.DATE, "The date of the document", ""));
    rows.add(new Row("total", FieldType.MONEY, "The amount to pay, tax included", ""));
    grid.setId("fields-grid");
    grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_NO_BORDER);
    grid.setAllRowsVisible(true);
    grid.addComponentColumn(row -> text(row, "field-name-", row.name, v -> row.name = v, "e.g. invoice_number"))
        .setHeader("Name").setFlexGrow(2);
    grid.addComponentColumn(this::typeSelect).setHeader("Type").setFlexGrow(1);
    grid.addComponentColumn(row -> text(row, "field-description-", row.description, v -> row.description = v, "What the model is told"))
        .setHeader("Description").setFlexGrow(3);
    grid.addComponentColumn(row -> text(row, "field-examples-", row.examples, v -> row.examples = v, "a | b | c"))
        .setHeader("Examples (separate with |)").setFlexGrow(3);
    grid.addComponentColumn(row -> {
      Button remove = new Button("Remove", e -> {
        rows.remove(row);
        refresh();
      });
      remove.setId("remove-field-" + rows.indexOf(row));
      remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
      return remove;
    }).setFlexGrow(0).setAutoWidth(true);

    Button add = new Button("Add field", e -> {
      rows.add(new Row("", FieldType.STRING, "", ""));
      refresh();
    });
    add.setId("add-field");
    setPadding(false);
    add(grid, add);
    refresh();
  }

  List<FieldSpec> fields() {
    return rows.stream().map(Row::toSpec).toList();
  }

  private TextField text(Row row, String idPrefix, String value, java.util.function.Consumer<String> set, String placeholder) {
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
    type.addValueChangeListener(e -> {
      row.type = e.getValue();
      type.setTooltipText(e.getValue().hint());
    });
    return type;
  }

  private void refresh() {
    grid.setItems(new ArrayList<>(rows));
  }
}
