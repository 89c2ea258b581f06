package dev.tuneforge.app.catalog.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.catalog.ModelMemory;
import dev.tuneforge.app.catalog.NodeCapacities;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.ChatTemplate;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One base model: what inspection read, its chat template on an example conversation, the memory
 * LoRA and full fine-tuning need at a chosen sequence length and batch, the nodes that fit, and
 * retiring for admins of its owner. Another tenant's model reads as not found.
 */
@Route("model")
@PageTitle("Base model · Tuneforge")
@RolesAllowed({"PLATFORM_ADMIN", "TENANT_ADMIN", "MEMBER"})
public class ModelDetailView extends VerticalLayout implements HasUrlParameter<String> {
  static final List<ChatMessage> EXAMPLE =
      List.of(
          ChatMessage.of("system", "Extract the total and the date as JSON."),
          ChatMessage.of("user", "SHOP 12 ... TOTAL 9.90 ... 2024-03-01"),
          ChatMessage.of("assistant", "{\"total\": \"9.90\", \"date\": \"2024-03-01\"}"));

  private final CatalogService catalog;
  private final NodeCapacities nodes;
  private final IntegerField sequenceLength = new IntegerField("Sequence length");
  private final IntegerField batch = new IntegerField("Batch");
  private final Grid<ModelMemory.Need> memory = new Grid<>();

  public ModelDetailView(CatalogService catalog, NodeCapacities nodes) {
    this.catalog = catalog;
    this.nodes = nodes;
  }

  @Override
  public void setParameter(BeforeEvent event, String id) {
    removeAll();
    Optional<BaseModel> found = parse(id).flatMap(catalog::find);
    if (found.isEmpty()) {
      add(new H2("No such model"));
      return;
    }
    BaseModel model = found.get();
    H2 title = new H2(model.getLabel());
    title.setId("model-title");
    Div facts = new Div();
    facts.setId("model-facts");
    facts.add(
        line("Hugging Face id", model.getName()),
        line("Revision", model.getRevision() == null ? "—" : model.getRevision()),
        line("Architecture", model.getArchitecture()),
        line("Parameters", Sizes.parameters(model.getParameters())),
        line("Dtype", String.join(", ", model.getDtypes())),
        line("Weights", Sizes.bytes(model.getWeightBytes())),
        line("Context length", model.getContextLength() + " tokens"),
        line("Licence", model.getLicence() == null ? "not stated" : model.getLicence()),
        line("Owner", model.isPlatformModel() ? "Platform (every team)" : "Your team"),
        line("Status", model.isRetired() ? "Retired from new fine-tunes" : "Offered"));
    add(title, facts);
    if (catalog.mayManage(model) && !model.isRetired()) {
      Button retire =
          new Button(
              "Retire",
              e -> {
                catalog.retire(model.getId());
                getUI().ifPresent(ui -> ui.navigate(CatalogView.class));
              });
      retire.setId("retire-model");
      add(retire);
    }
    add(new H3("Chat template on an example"), template(model), toolSupport(model));
    add(new H3("Memory to fine-tune"), memoryPanel(model));
  }

  private static Pre template(BaseModel model) {
    Pre rendered = new Pre();
    rendered.setId("model-template");
    ChatTemplate template =
        model.getChatTemplate() == null
            ? ChatTemplate.chatMl()
            : new ChatTemplate(model.getChatTemplate(), "", "");
    String note =
        model.getChatTemplate() == null ? "(no template in tokenizer_config.json; ChatML)\n" : "";
    try {
      rendered.setText(note + template.render(EXAMPLE, false));
    } catch (IllegalArgumentException e) {
      rendered.setText("The template cannot render this conversation: " + e.getMessage());
    }
    return rendered;
  }

  private static Paragraph toolSupport(BaseModel model) {
    Paragraph support =
        new Paragraph(
            ChatTemplate.supportsTools(model.getChatTemplate())
                ? "Tool calls: the template renders tools, so datasets with tool calls train on"
                    + " this model."
                : "Tool calls: the template renders no tools, so datasets with tool calls are"
                    + " refused for this model.");
    support.setId("model-tool-support");
    return support;
  }

  private VerticalLayout memoryPanel(BaseModel model) {
    sequenceLength.setId("memory-sequence-length");
    sequenceLength.setMin(16);
    sequenceLength.setMax(Math.max(16, model.getContextLength()));
    sequenceLength.setValue(Math.min(1024, Math.max(16, model.getContextLength())));
    sequenceLength.setStepButtonsVisible(true);
    batch.setId("memory-batch");
    batch.setMin(1);
    batch.setValue(1);
    batch.setStepButtonsVisible(true);
    memory.setId("model-memory");
    memory
        .addColumn(n -> n.method().name().equals("LORA") ? "LoRA (r 8)" : "Full")
        .setHeader("Method");
    memory.addColumn(n -> Sizes.bytes(n.estimate().total())).setHeader("Total");
    memory.addColumn(n -> Sizes.bytes(n.estimate().weights())).setHeader("Weights");
    memory
        .addColumn(
            n ->
                Sizes.bytes(
                    n.estimate().trainable() + n.estimate().gradients() + n.estimate().optimizer()))
        .setHeader("Trained + gradients + AdamW");
    memory.addColumn(n -> Sizes.bytes(n.estimate().activations())).setHeader("Activations");
    memory
        .addColumn(n -> n.nodesThatFit().isEmpty() ? "none" : String.join(", ", n.nodesThatFit()))
        .setHeader("Nodes that fit")
        .setFlexGrow(1);
    memory.setAllRowsVisible(true);
    sequenceLength.addValueChangeListener(e -> estimate(model));
    batch.addValueChangeListener(e -> estimate(model));
    estimate(model);
    return new VerticalLayout(new HorizontalLayout(sequenceLength, batch), memory);
  }

  private void estimate(BaseModel model) {
    if (sequenceLength.getValue() == null || batch.getValue() == null) {
      return;
    }
    memory.setItems(
        ModelMemory.of(model, sequenceLength.getValue(), batch.getValue(), nodes.nodes()));
  }

  private static Paragraph line(String label, String value) {
    return new Paragraph(label + ": " + value);
  }

  private static Optional<UUID> parse(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
