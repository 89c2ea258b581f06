package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.tokens.TokenLengthService;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobMemory;
import dev.tuneforge.app.usage.Estimate;
import dev.tuneforge.app.usage.EstimateService;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Configure and launch a LoRA fine-tune. */
@Route("finetunes/new")
@PageTitle("New fine-tune · Tuneforge")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class NewFineTuneView extends VerticalLayout {
  private final ComboBox<BaseModel> model = new ComboBox<>("Base model");
  private final ComboBox<DatasetSummary> dataset = new ComboBox<>("Dataset");
  private final RadioButtonGroup<String> method = new RadioButtonGroup<>("Method");
  private final IntegerField loraR = integer("LoRA r", "lora-r", 1, 256);
  private final NumberField loraAlpha = number("LoRA alpha", "lora-alpha");
  private final NumberField loraDropout = number("LoRA dropout", "lora-dropout");
  private final CheckboxGroup<String> targets = new CheckboxGroup<>("Target modules");
  private final IntegerField epochs = integer("Epochs", "epochs", 1, 100);
  private final TextField learningRate = new TextField("Learning rate");
  private final IntegerField batchSize = integer("Batch size", "batch-size", 1, 512);
  private final IntegerField maxSeqLength =
      integer("Max sequence length", "max-seq-length", 16, 32768);
  private final IntegerField seed = integer("Seed", "seed", 0, Integer.MAX_VALUE);
  private final IntegerField maxSteps =
      integer("Max steps (0 = all epochs)", "max-steps", 0, 1_000_000);
  private final IntegerField checkpointEvery =
      integer("Checkpoint every N steps (0 = only at the end)", "checkpoint-every", 0, 1_000_000);
  private final ComboBox<DatasetSummary> evaluationDataset = new ComboBox<>("Evaluate on");
  private final IntegerField evaluationExamples =
      integer("Examples to evaluate (0 = no evaluation)", "evaluation-examples", 0, 10_000);
  private final IntegerField evaluationMaxNewTokens =
      integer(
          "Max new tokens per answer",
          "evaluation-max-new-tokens",
          1,
          FineTuneRequest.MAX_EVALUATION_NEW_TOKENS);

  private final ComboBox<String> schedule = new ComboBox<>("Learning-rate schedule");
  private final NumberField warmupRatio = number("Warm-up ratio", "warmup-ratio");
  private final IntegerField gradientAccumulation =
      integer("Gradient accumulation", "gradient-accumulation", 1, 64);
  private final NumberField weightDecay = number("Weight decay", "weight-decay");
  private final NumberField maxGradNorm =
      number("Gradient clipping (max norm, 0 = off)", "max-grad-norm");
  private final IntegerField validationEvery =
      integer("Validate every N steps (0 = only at the end)", "validation-every", 0, 1_000_000);
  private final IntegerField earlyStoppingPatience =
      integer("Early-stopping patience (0 = off)", "early-stopping-patience", 0, 1_000);

  private final ComboBox<String> earlyStoppingMetric = new ComboBox<>("Early stopping watches");
  private final RetentionFields retention;
  private final ContinueFields continuation;
  private final Checkbox useRslora = new Checkbox("rsLoRA (scale alpha / √r)");
  private final Checkbox packing = new Checkbox("Pack examples into full rows");
  private final PreferenceFields preference = new PreferenceFields();

  private final TextField suffix = new TextField("Name");
  private final Paragraph estimate = new Paragraph();
  private final EstimateService estimates;

  public NewFineTuneView(
      CatalogService catalog,
      DatasetService datasets,
      FineTuneService fineTunes,
      EstimateService estimates,
      TokenLengthService tokens,
      JobMemory memory) {
    this.estimates = estimates;
    model.setId("base-model");
    List<BaseModel> offered = catalog.offered();
    model.setItems(offered);
    model.setItemLabelGenerator(m -> m.getLabel() + " (" + m.getArchitecture() + ")");
    model.setWidthFull();
    dataset.setId("dataset");
    dataset.setItems(datasets.list());
    dataset.setItemLabelGenerator(DatasetSummary::label);
    dataset.setWidthFull();
    evaluationDataset.setId("evaluation-dataset");
    evaluationDataset.setItems(datasets.list());
    evaluationDataset.setItemLabelGenerator(DatasetSummary::label);
    evaluationDataset.setPlaceholder("The training dataset's validation split");
    evaluationDataset.setClearButtonVisible(true);
    evaluationDataset.setHelperText(
        "Base and tuned model answer the same held-out prompts after training");
    evaluationDataset.setWidthFull();
    retention = new RetentionFields(datasets.list());
    continuation = new ContinueFields(fineTunes.list());
    continuation.source.addValueChangeListener(
        e -> {
          if (e.getValue() != null) {
            matchSource(e.getValue());
          }
        });
    method.setId("method");
    method.setItems(FineTuneRequest.LORA, FineTuneRequest.QLORA, FineTuneRequest.FULL);
    method.setItemLabelGenerator(
        m ->
            switch (m) {
              case FineTuneRequest.FULL -> "Full fine-tuning";
              case FineTuneRequest.QLORA -> "QLoRA";
              case FineTuneRequest.DPO -> "DPO (preference pairs)";
              default -> "LoRA";
            });
    method.setHelperText(
        "LoRA trains a small adapter beside the frozen model; QLoRA is LoRA over a 4-bit base:"
            + " about 4× less memory for the base, slightly slower; full fine-tuning trains every"
            + " weight (about four times the model's size in memory) and delivers the whole model");
    method.setValue(FineTuneRequest.LORA);
    method.addValueChangeListener(e -> showMethod());
    targets.setId("target-modules");
    targets.setItems(FineTuneRequest.PROJECTIONS);
    learningRate.setId("learning-rate");
    useRslora.setId("use-rslora");
    useRslora.setTooltipText(
        "Rank-stabilised LoRA: keeps the update's size steady at higher ranks");
    packing.setId("packing");
    packing.setTooltipText(
        "Several examples share a row of the max sequence length: same loss, less padding");

    UUID usual =
        usualModel(
            offered.stream().map(BaseModel::getId).toList(),
            fineTunes.list().stream().map(FineTuneJob::getBaseModelId).toList());
    offered.stream().filter(m -> m.getId().equals(usual)).findFirst().ifPresent(model::setValue);
    model.setPlaceholder("Choose the model to tune");
    model.setHelperText(
        model.getValue() == null
            ? "Several models are offered: none is preselected"
            : offered.size() == 1
                ? "The only model offered; every setting below is a default"
                : "Preselected: the model of your team's latest fine-tune");
    if (!datasets.list().isEmpty()) {
      dataset.setValue(datasets.list().getFirst());
      dataset.setHelperText("Preselected: your most recent dataset");
    }
    suffix.setId("suffix");
    suffix.setPattern("[a-z0-9_-]{0,64}");
    suffix.setMaxLength(64);
    suffix.setPlaceholder("e.g. receipts-v2");
    suffix.setHelperText("Optional: 1–64 of a-z, 0-9, - and _; can be changed later");
    suffix.setWidthFull();
    FineTuneRequest d = FineTuneRequest.defaults(null, null);
    loraR.setValue(d.loraR());
    loraAlpha.setValue(d.loraAlpha());
    loraDropout.setValue(d.loraDropout());
    targets.setValue(new java.util.LinkedHashSet<>(d.targetModules()));
    epochs.setValue(d.epochs());
    learningRate.setValue(Double.toString(d.learningRate()));
    batchSize.setValue(d.batchSize());
    maxSeqLength.setValue(d.maxSequenceLength());
    seed.setValue((int) d.seed());
    maxSteps.setValue(d.maxSteps());
    checkpointEvery.setValue(d.checkpointEvery());
    evaluationExamples.setValue(d.evaluationExamples());
    evaluationMaxNewTokens.setValue(d.evaluationMaxNewTokens());
    evaluationMaxNewTokens.setHelperText(
        "Evaluation generates at most this many tokens per held-out example; fewer is faster and"
            + " cheaper but may cut long answers");
    useRslora.setValue(d.useRslora());
    packing.setValue(d.packing());
    Details advanced = advancedOptions(d);

    FormLayout what =
        new FormLayout(
            model,
            dataset,
            method,
            suffix,
            preference.beta(),
            preference.sftWeight(),
            continuation.source,
            continuation.step);
    what.setColspan(method, 2);
    FormLayout lora = new FormLayout(loraR, loraAlpha, loraDropout, targets, useRslora);
    lora.setColspan(targets, 3);
    FormLayout training =
        new FormLayout(
            epochs,
            learningRate,
            batchSize,
            maxSeqLength,
            seed,
            maxSteps,
            checkpointEvery,
            packing);

    TruncationHint truncation = TruncationHint.attach(tokens, model, dataset, maxSeqLength);
    Button launch =
        new Button(
            "Launch fine-tune",
            e ->
                truncation.beforeLaunch(
                    () -> {
                      try {
                        FineTuneJob job = fineTunes.create(request(), suffix.getValue());
                        FineTuneDetailView.open(e.getSource(), job.getId());
                      } catch (IllegalArgumentException problem) {
                        Notification.show(problem.getMessage(), 6000, Notification.Position.MIDDLE)
                            .addThemeVariants(NotificationVariant.LUMO_ERROR);
                      }
                    }));
    launch.setId("launch-finetune");
    launch.addThemeVariants(ButtonVariant.LUMO_PRIMARY);

    estimate.setId("cost-estimate");
    model.addValueChangeListener(e -> showEstimate());
    method.addValueChangeListener(e -> showEstimate());
    maxSeqLength.addValueChangeListener(e -> showEstimate());
    evaluationDataset.addValueChangeListener(e -> showEstimate());
    evaluationExamples.addValueChangeListener(e -> showEstimate());
    evaluationMaxNewTokens.addValueChangeListener(e -> showEstimate());
    dataset.addValueChangeListener(e -> showEstimate());
    dataset.addValueChangeListener(e -> preference.offerMethods(method, e.getValue()));
    preference.offerMethods(method, dataset.getValue());
    epochs.addValueChangeListener(e -> showEstimate());
    batchSize.addValueChangeListener(e -> showEstimate());
    batchSize.addValueChangeListener(e -> showEffectiveBatch());
    gradientAccumulation.addValueChangeListener(e -> showEffectiveBatch());
    gradientAccumulation.addValueChangeListener(e -> showEstimate());
    showEffectiveBatch();
    maxSteps.addValueChangeListener(e -> showEstimate());
    showEstimate();
    showMethod();

    FormLayout evaluation =
        new FormLayout(
            evaluationDataset,
            evaluationExamples,
            evaluationMaxNewTokens,
            retention.check,
            retention.dataset);

    add(
        new H2("New fine-tune"),
        what,
        new H3("LoRA"),
        lora,
        new H3("Training"),
        training,
        advanced,
        new H3("Evaluation"),
        evaluation,
        new H3("Estimated cost"),
        estimate,
        MemoryHint.attach(
            memory,
            estimates::largestJobMemory,
            model,
            method,
            batchSize,
            maxSeqLength,
            loraR,
            targets,
            gradientAccumulation),
        launch);
  }

  /**
   * The model the form starts with: the only one offered, else the one the team's latest fine-tune
   * used if it is still offered, else none, since the first of several (by name) would be a guess.
   *
   * @param latestFirst the base models of the team's fine-tunes, newest first
   */
  static @Nullable UUID usualModel(List<UUID> offered, List<UUID> latestFirst) {
    if (offered.size() == 1) {
      return offered.getFirst();
    }
    return latestFirst.stream().findFirst().filter(offered::contains).orElse(null);
  }

  /**
   * The trainer's options beyond the usual ones, each at the trainer's default with a line on what
   * it does; closed until opened.
   */
  private Details advancedOptions(FineTuneRequest d) {
    schedule.setId("lr-schedule");
    schedule.setItems(FineTuneRequest.SCHEDULES);
    schedule.setValue(d.schedule());
    schedule.setHelperText("How the learning rate decays to 0 after warm-up");
    warmupRatio.setMin(0);
    warmupRatio.setMax(0.5);
    warmupRatio.setStep(0.01);
    warmupRatio.setValue(d.warmupRatio());
    warmupRatio.setHelperText("Share of the steps (0 to 0.5) over which the rate rises from 0");
    gradientAccumulation.setValue(d.gradientAccumulation());
    weightDecay.setMin(0);
    weightDecay.setMax(1);
    weightDecay.setStep(0.01);
    weightDecay.setValue(d.weightDecay());
    weightDecay.setHelperText("AdamW's decoupled decay pulling weights toward 0 (0 to 1)");
    maxGradNorm.setMin(0);
    maxGradNorm.setValue(d.maxGradNorm());
    maxGradNorm.setHelperText("Gradients are scaled down to this global norm when above it");
    validationEvery.setPlaceholder("At each checkpoint");
    validationEvery.setHelperText(
        "Steps between validation losses (and samples); empty: at each checkpoint");
    earlyStoppingPatience.setValue(d.earlyStoppingPatience());
    earlyStoppingPatience.setHelperText(
        "Stops after this many validations in a row without a new best");
    earlyStoppingMetric.setId("early-stopping-metric");
    earlyStoppingMetric.setItems(FineTuneRequest.EARLY_STOPPING_METRICS);
    earlyStoppingMetric.setItemLabelGenerator(
        m ->
            m.equals(FineTuneRequest.FIELD_F1)
                ? "Field F1 on a validation sample"
                : "Validation loss");
    earlyStoppingMetric.setValue(FineTuneRequest.VALIDATION_LOSS);
    earlyStoppingMetric.setHelperText(
        "Field F1 needs JSON answers; the weights of the best validation are kept");
    FormLayout options =
        new FormLayout(
            schedule,
            warmupRatio,
            weightDecay,
            maxGradNorm,
            gradientAccumulation,
            validationEvery,
            earlyStoppingPatience,
            earlyStoppingMetric);
    Details advanced = new Details("Advanced training options", options);
    advanced.setId("advanced-training-options");
    advanced.setOpened(false);
    return advanced;
  }

  /** The examples each optimiser step learns from: batch size × gradient accumulation. */
  private void showEffectiveBatch() {
    Integer batch = batchSize.getValue();
    Integer accumulation = gradientAccumulation.getValue();
    String effective =
        batch == null || accumulation == null
            ? ""
            : ": effective batch " + batch + " × " + accumulation + " = " + batch * accumulation;
    gradientAccumulation.setHelperText("Batches summed per optimiser step" + effective);
  }

  /**
   * LoRA's settings mean nothing to a full fine-tune, so they cannot be edited while it is chosen.
   */
  private void showMethod() {
    boolean lora = !FineTuneRequest.FULL.equals(method.getValue());
    loraR.setEnabled(lora);
    loraAlpha.setEnabled(lora);
    loraDropout.setEnabled(lora);
    targets.setEnabled(lora);
    useRslora.setEnabled(lora);
    // DPO compares each pair's two answers whole, so it packs nothing (FineTuneRequest refuses it).
    boolean dpo = FineTuneRequest.DPO.equals(method.getValue());
    packing.setEnabled(!dpo);
    if (dpo) {
      packing.setValue(false);
    }
    preference.show(method.getValue());
  }

  /**
   * The job as the form stands, on each node class, cheapest first; docs/usage.md has the formula.
   */
  private void showEstimate() {
    estimate.removeAll();
    try {
      for (Estimate e : estimates.estimates(request().work())) {
        Span line = new Span(e.describe());
        line.getStyle().set("display", "block");
        line.addClassName("cost-estimate-line");
        estimate.add(line);
      }
    } catch (IllegalArgumentException problem) {
      estimate.setText("No estimate yet: " + problem.getMessage());
    }
  }

  private FineTuneRequest request() {
    if (model.getValue() == null || dataset.getValue() == null) {
      throw new IllegalArgumentException("Choose a base model and a dataset");
    }
    double lr;
    try {
      lr = Double.parseDouble(learningRate.getValue().strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("The learning rate must be a number such as 2e-4");
    }
    return continuation
        .applyTo(retention.applyTo(FineTuneRequest.builder()))
        .setBaseModel(model.getValue().getId())
        .setDatasetVersion(dataset.getValue().versionId())
        .optLora(value(loraR), value(loraAlpha), value(loraDropout))
        .optTargetModules(
            new ArrayList<>(
                FineTuneRequest.PROJECTIONS.stream().filter(targets.getValue()::contains).toList()))
        .optEpochs(value(epochs))
        .optLearningRate(lr)
        .optBatchSize(value(batchSize))
        .optMaxSequenceLength(value(maxSeqLength))
        .optSeed(value(seed))
        .optMaxSteps(value(maxSteps))
        .optCheckpointEvery(value(checkpointEvery))
        .optEvaluation(
            evaluationDataset.getValue() == null ? null : evaluationDataset.getValue().versionId(),
            value(evaluationExamples))
        .optEvaluationMaxNewTokens(value(evaluationMaxNewTokens))
        .optRslora(useRslora.getValue())
        .optPacking(packing.getValue())
        .optMethod(method.getValue() == null ? FineTuneRequest.LORA : method.getValue())
        .optSchedule(schedule.getValue() == null ? FineTuneRequest.LINEAR : schedule.getValue())
        .optWarmupRatio(value(warmupRatio))
        .optGradientAccumulation(value(gradientAccumulation))
        .optWeightDecay(value(weightDecay))
        .optMaxGradNorm(value(maxGradNorm))
        .optValidationEvery(validationEvery.getValue())
        .optEarlyStoppingPatience(value(earlyStoppingPatience))
        .optPreference(preference.betaValue(), preference.sftWeightValue())
        .optEarlyStoppingMetric(
            earlyStoppingMetric.getValue() == null
                ? FineTuneRequest.VALIDATION_LOSS
                : earlyStoppingMetric.getValue())
        .build();
  }

  /** A job continues on its source's base model and with its kind of weights: preset them. */
  private void matchSource(FineTuneJob source) {
    model
        .getListDataView()
        .getItems()
        .filter(m -> m.getId().equals(source.getBaseModelId()))
        .findFirst()
        .ifPresent(model::setValue);
    method
        .getListDataView()
        .getItems()
        .filter(source.getMethod()::equals)
        .findFirst()
        .ifPresent(method::setValue);
    loraR.setValue(source.getLoraR());
    targets.setValue(new java.util.LinkedHashSet<>(source.getTargetModules()));
  }

  private static int value(IntegerField field) {
    if (field.getValue() == null) {
      throw new IllegalArgumentException(field.getLabel() + " is required");
    }
    return field.getValue();
  }

  private static double value(NumberField field) {
    if (field.getValue() == null) {
      throw new IllegalArgumentException(field.getLabel() + " is required");
    }
    return field.getValue();
  }

  private static IntegerField integer(String label, String id, int min, int max) {
    IntegerField field = new IntegerField(label);
    field.setId(id);
    field.setMin(min);
    field.setMax(max);
    field.setStepButtonsVisible(true);
    return field;
  }

  private static NumberField number(String label, String id) {
    NumberField field = new NumberField(label);
    field.setId(id);
    return field;
  }
}
