package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.AbstractField;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.IntegerField;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.JobMemory;
import dev.tuneforge.modelformat.memory.MemoryEstimate;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The form's memory line: "needs ≈ X GiB" for the chosen model and shape, and when that is more
 * than the largest node offers, the smaller batch size (with more gradient accumulation, so the
 * effective batch stays) that fits.
 */
final class MemoryHint {
  private MemoryHint() {}

  static Paragraph attach(
      JobMemory memory,
      LongSupplier largestNode,
      ComboBox<BaseModel> model,
      RadioButtonGroup<String> method,
      IntegerField batchSize,
      IntegerField maxSeqLength,
      IntegerField loraR,
      CheckboxGroup<String> targets,
      IntegerField accumulation) {
    Paragraph hint = new Paragraph();
    hint.setId("memory-estimate");
    Runnable show =
        () ->
            hint.setText(
                text(
                    memory,
                    largestNode.getAsLong(),
                    model.getValue(),
                    method.getValue(),
                    batchSize.getValue(),
                    maxSeqLength.getValue(),
                    loraR.getValue(),
                    List.copyOf(targets.getValue()),
                    accumulation.getValue()));
    for (AbstractField<?, ?> field :
        List.<AbstractField<?, ?>>of(
            model, method, batchSize, maxSeqLength, loraR, targets, accumulation)) {
      field.addValueChangeListener(e -> show.run());
    }
    show.run();
    return hint;
  }

  static String text(
      JobMemory memory,
      long largest,
      BaseModel model,
      @Nullable String method,
      Integer batch,
      Integer length,
      Integer r,
      List<String> targets,
      Integer accumulation) {
    boolean full = FineTuneRequest.FULL.equals(method);
    String chosen = method == null ? FineTuneRequest.LORA : method;
    if (model == null || batch == null || length == null || (!full && r == null)) {
      return "";
    }
    int rank = r == null ? 0 : r;
    Optional<MemoryEstimate> need = memory.of(model.getId(), chosen, batch, length, rank, targets);
    if (need.isEmpty()) {
      return "";
    }
    String text = "Needs ≈ " + MemoryEstimate.gib(need.get().total()) + " on the node.";
    if (largest <= 0 || need.get().fitsIn(largest)) {
      return text;
    }
    text += " The largest node has " + MemoryEstimate.gib(largest) + ".";
    for (int micro = batch - 1; micro >= 1; micro--) {
      if (batch % micro == 0
          && memory
              .of(model.getId(), chosen, micro, length, rank, targets)
              .map(e -> e.fitsIn(largest))
              .orElse(false)) {
        int steps = (accumulation == null ? 1 : accumulation) * (batch / micro);
        return text
            + " A batch size of "
            + micro
            + " with gradient accumulation "
            + steps
            + " keeps the effective batch and fits.";
      }
    }
    return text + " Lower the max sequence length or choose LoRA.";
  }
}
