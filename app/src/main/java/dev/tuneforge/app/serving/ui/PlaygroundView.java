package dev.tuneforge.app.serving.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.serving.GenerationSettings;
import dev.tuneforge.app.serving.Playground;
import dev.tuneforge.protocol.PromptMessage;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The playground of a succeeded fine-tune: paste a document or pick a held-out example, and the
 * tuned and then the base model answer side by side as they stream from a serving node, each
 * checked against the budget and charged on its own, with per-field marks against the example's
 * reference when the task is extraction.
 */
@Route("finetunes/:jobId/playground")
@PageTitle("Playground · Tuneforge")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class PlaygroundView extends VerticalLayout implements BeforeEnterObserver {
  private final Playground playground;
  private final TextArea document = new TextArea("Document");
  private final Select<Playground.Example> example = new Select<>();
  private final NumberField temperature = new NumberField("Temperature");
  private final IntegerField maxTokens = new IntegerField("Max tokens");
  private final Checkbox jsonOnly = new Checkbox("JSON only");
  private final Button generate = new Button("Generate");
  private final AnswerPanel tuned = new AnswerPanel("tuned", "Tuned model");
  private final AnswerPanel base = new AnswerPanel("base", "Base model");
  private final List<Playground.Comparison> running = new ArrayList<>();
  private Playground.@Nullable Setup setup;

  public PlaygroundView(Playground playground) {
    this.playground = playground;
    document.setId("playground-document");
    document.setWidthFull();
    document.setMinHeight("10em");
    example.setId("playground-example");
    example.setLabel("Held-out example");
    example.setEmptySelectionAllowed(true);
    example.setEmptySelectionCaption("none: paste a document");
    example.setItemLabelGenerator(
        e -> e == null ? "none" : "#" + e.index() + ": " + clip(e.document(), 60));
    example.addValueChangeListener(
        e -> {
          if (e.getValue() != null) {
            document.setValue(e.getValue().document());
          }
        });
    temperature.setId("playground-temperature");
    temperature.setValue(0.0);
    temperature.setMin(0);
    temperature.setMax(2);
    temperature.setStep(0.1);
    maxTokens.setId("playground-max-tokens");
    maxTokens.setValue(256);
    maxTokens.setMin(1);
    maxTokens.setMax(4096);
    jsonOnly.setId("playground-json-only");
    generate.setId("playground-generate");
    generate.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    generate.addClickListener(e -> generate());
    addDetachListener(e -> stopAll());
    HorizontalLayout settings = new HorizontalLayout(example, temperature, maxTokens, jsonOnly);
    settings.setAlignItems(Alignment.BASELINE);
    HorizontalLayout answers = new HorizontalLayout(tuned, base);
    answers.setWidthFull();
    add(new H2("Playground"), settings, document, generate, answers);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    setup =
        event
            .getRouteParameters()
            .get("jobId")
            .flatMap(PlaygroundView::parse)
            .flatMap(playground::open)
            .orElse(null);
    if (setup == null) {
      event.rerouteToError(NotFoundException.class, "No succeeded fine-tune of your team");
      return;
    }
    example.setItems(setup.examples());
    tuned.title(setup.tuned().name());
    base.title(setup.base().name());
    if (!setup.examples().isEmpty()) {
      example.setValue(setup.examples().get(0));
    }
  }

  private void generate() {
    Playground.Setup current = setup;
    if (current == null || document.getValue().isBlank()) {
      tuned.problem("Paste a document or pick an example first");
      return;
    }
    stopAll();
    Playground.Example picked = example.getValue();
    boolean sameDocument = picked != null && picked.document().equals(document.getValue());
    String reference = sameDocument ? picked.reference() : null;
    List<PromptMessage> messages =
        Playground.messages(picked, current.examples(), document.getValue());
    GenerationSettings settings =
        new GenerationSettings(
            maxTokens.getValue() == null ? 256 : Math.max(1, maxTokens.getValue()),
            temperature.getValue() == null ? 0 : Math.max(0, temperature.getValue()),
            1,
            null,
            List.of(),
            jsonOnly.getValue());
    String caller = CurrentUser.get().map(u -> u.getUsername()).orElse("playground");
    UI ui = UI.getCurrent();
    List<Playground.Panel> panels = new ArrayList<>();
    for (AnswerPanel panel : List.of(tuned, base)) {
      panel.start();
      panels.add(
          new Playground.Panel(
              panel == tuned ? current.tuned() : current.base(),
              text -> ui.access(() -> panel.text(text)),
              last ->
                  ui.access(
                      () ->
                          panel.end(
                              last,
                              reference == null
                                  ? List.of()
                                  : Playground.marks(reference, panel.answer())))));
    }
    running.add(playground.compare(panels, messages, settings, caller));
  }

  private void stopAll() {
    running.forEach(Playground.Comparison::stop);
    running.clear();
  }

  private static java.util.Optional<UUID> parse(String id) {
    try {
      return java.util.Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  private static String clip(String text, int length) {
    String line = text.replace('\n', ' ');
    return line.length() > length ? line.substring(0, length) + "…" : line;
  }
}
