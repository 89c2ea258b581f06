package dev.tuneforge.app.dataset.ui;

import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import dev.tuneforge.app.dataset.CsvMapping;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which columns of an uploaded CSV file make each conversation: user and assistant turn (required),
 * a system column or one system prompt for all rows, and a column naming each row's split. Filled
 * in from the file's header, with a guess from the columns' names.
 */
class CsvMappingForm extends FormLayout {
  private final Select<String> user = select("csv-user-column", "User / prompt column");
  private final Select<String> assistant =
      select("csv-assistant-column", "Assistant / completion column");
  private final Select<String> system = select("csv-system-column", "System column (optional)");
  private final TextField systemPrompt = new TextField("Or one system prompt for every row");
  private final Select<String> split = select("csv-split-column", "Split column (optional)");

  CsvMappingForm() {
    setId("csv-mapping");
    systemPrompt.setId("csv-system-prompt");
    for (Select<String> optional : List.of(system, split)) {
      optional.setEmptySelectionAllowed(true);
      optional.setEmptySelectionCaption("None");
    }
    system.addValueChangeListener(e -> systemPrompt.setEnabled(isNone(e.getValue())));
    add(user, assistant, system, systemPrompt, split);
  }

  private static Select<String> select(String id, String label) {
    Select<String> select = new Select<>();
    select.setId(id);
    select.setLabel(label);
    return select;
  }

  /** Offers {@code header}'s columns, chosen as {@link CsvMapping#guess} would where it can. */
  void show(List<String> header) {
    user.setItems(header);
    assistant.setItems(header);
    system.setItems(header);
    split.setItems(header);
    Optional<CsvMapping> guess = CsvMapping.guess(header);
    user.setValue(guess.map(CsvMapping::userColumn).orElse(header.getFirst()));
    assistant.setValue(
        guess
            .map(CsvMapping::assistantColumn)
            .orElse(header.size() > 1 ? header.get(1) : header.getFirst()));
    system.setValue(guess.map(CsvMapping::systemColumn).orElse(null));
    split.setValue(
        header.stream().filter(c -> c.equalsIgnoreCase("split")).findFirst().orElse(null));
    systemPrompt.clear();
  }

  CsvMapping value() {
    return new CsvMapping(
        user.getValue(),
        assistant.getValue(),
        isNone(system.getValue()) ? null : system.getValue(),
        systemPrompt.isEnabled() ? systemPrompt.getValue() : null);
  }

  /** The chosen split column, or null. */
  @Nullable String splitColumn() {
    return isNone(split.getValue()) ? null : split.getValue();
  }

  private static boolean isNone(@Nullable String value) {
    return value == null;
  }
}
