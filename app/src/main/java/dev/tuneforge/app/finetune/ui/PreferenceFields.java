package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.NumberField;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.protocol.PreferenceSettings;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The new fine-tune form's part for preference data: which methods a dataset offers (DPO for
 * preference pairs and only for them) and DPO's beta and SFT weight, shown while DPO is chosen.
 */
final class PreferenceFields {

  private static final List<String> SFT_METHODS =
      List.of(FineTuneRequest.LORA, FineTuneRequest.QLORA, FineTuneRequest.FULL);

  private final NumberField beta = new NumberField("DPO beta");
  private final NumberField sftWeight = new NumberField("SFT weight");

  PreferenceFields() {
    beta.setId("dpo-beta");
    beta.setMin(0);
    beta.setMax(10);
    beta.setStep(0.01);
    beta.setValue(PreferenceSettings.DEFAULTS.beta());
    beta.setHelperText("How far the tuned model may move from the base: lower moves further");
    sftWeight.setId("dpo-sft-weight");
    sftWeight.setMin(0);
    sftWeight.setMax(10);
    sftWeight.setStep(0.1);
    sftWeight.setValue(PreferenceSettings.DEFAULTS.sftWeight());
    sftWeight.setHelperText("Adds the chosen answers' loss, as SFT learns them (0: none)");
  }

  NumberField beta() {
    return beta;
  }

  NumberField sftWeight() {
    return sftWeight;
  }

  /** The methods {@code dataset} can be trained with, keeping the choice where it still fits. */
  void offerMethods(RadioButtonGroup<String> method, @Nullable DatasetSummary dataset) {
    String chosen = method.getValue();
    boolean pairs = dataset != null && dataset.preferencePairs();
    method.setItems(pairs ? List.of(FineTuneRequest.DPO) : SFT_METHODS);
    method.setValue(
        pairs
            ? FineTuneRequest.DPO
            : chosen != null && SFT_METHODS.contains(chosen) ? chosen : FineTuneRequest.LORA);
  }

  /** Beta and SFT weight mean something to DPO only. */
  void show(@Nullable String method) {
    boolean dpo = FineTuneRequest.DPO.equals(method);
    beta.setVisible(dpo);
    sftWeight.setVisible(dpo);
  }

  /** Required while DPO is chosen; the defaults otherwise. */
  double betaValue() {
    return required(beta, PreferenceSettings.DEFAULTS.beta());
  }

  double sftWeightValue() {
    return required(sftWeight, PreferenceSettings.DEFAULTS.sftWeight());
  }

  private static double required(NumberField field, double fallback) {
    if (!field.isVisible()) {
      return fallback;
    }
    if (field.getValue() == null) {
      throw new IllegalArgumentException(field.getLabel() + " is required for DPO");
    }
    return field.getValue();
  }
}
