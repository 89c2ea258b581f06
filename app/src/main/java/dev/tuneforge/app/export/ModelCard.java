package dev.tuneforge.app.export;

import dev.tuneforge.app.evaluation.FieldMetrics;
import dev.tuneforge.app.evaluation.ModelMetrics;
import dev.tuneforge.app.evaluation.StoredEvaluation;
import dev.tuneforge.app.finetune.FineTuneJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code README.md} of an exported adapter or model: Hugging Face front matter ({@code
 * base_model}, {@code library_name}, {@code tags}, {@code datasets}, {@code pipeline_tag}) that the
 * hub and its tools read, then what was trained on what, with which settings, and how the tuned
 * model compared with its base when the job was evaluated.
 *
 * @param kind what the export holds: {@link Kind#ADAPTER} (PEFT), {@link Kind#TUNED_MODEL} or
 *     {@link Kind#MERGED_MODEL}
 * @param dataset the dataset's name and version as the job page shows it, or null when unknown
 */
record ModelCard(
    FineTuneJob job,
    String baseModel,
    @Nullable String revision,
    @Nullable String dataset,
    @Nullable StoredEvaluation evaluation,
    Kind kind) {

  enum Kind {
    ADAPTER,
    TUNED_MODEL,
    MERGED_MODEL
  }

  String markdown() {
    StringBuilder md = new StringBuilder("---\n");
    md.append("base_model: ").append(yaml(baseModel)).append('\n');
    if (kind == Kind.ADAPTER) {
      md.append("library_name: peft\n");
    } else {
      md.append("library_name: transformers\n");
    }
    md.append("tags:\n  - tuneforge\n");
    md.append(kind == Kind.TUNED_MODEL ? "  - full-fine-tune\n" : "  - lora\n");
    if (kind == Kind.ADAPTER) {
      md.append("  - base_model:adapter:").append(baseModel).append('\n');
    }
    if (dataset != null) {
      md.append("datasets:\n  - ").append(yaml(dataset)).append('\n');
    }
    md.append("pipeline_tag: text-generation\n---\n\n");
    md.append("# ").append(job.getName()).append("\n\n");
    md.append(what()).append("\n\n");
    md.append("## Training\n\n");
    md.append("| setting | value |\n| --- | --- |\n");
    settings()
        .forEach(row -> md.append("| ").append(row[0]).append(" | ").append(row[1]).append(" |\n"));
    md.append('\n');
    appendEvaluation(md);
    return md.toString();
  }

  private String what() {
    String base =
        "`" + baseModel + "`" + (revision == null ? "" : " (revision `" + revision + "`)");
    String on = dataset == null ? "" : " on the dataset " + dataset;
    return switch (kind) {
      case ADAPTER ->
          "A LoRA adapter (PEFT) for "
              + base
              + ", trained with Tuneforge"
              + on
              + ". Load it on top of the base model with PEFT, or serve it with vLLM's LoRA support.";
      case TUNED_MODEL ->
          "A full fine-tune of "
              + base
              + ", trained with Tuneforge"
              + on
              + "; every weight trained.";
      case MERGED_MODEL ->
          "The LoRA adapter trained with Tuneforge"
              + on
              + " merged into "
              + base
              + ", in the base's dtype: a plain model that loads without PEFT.";
    };
  }

  private List<String[]> settings() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"method", job.isFullFineTuning() ? "full fine-tuning" : "LoRA"});
    if (!job.isFullFineTuning()) {
      rows.add(new String[] {"LoRA r", Integer.toString(job.getLoraR())});
      rows.add(new String[] {"LoRA alpha", number(job.getLoraAlpha())});
      rows.add(new String[] {"LoRA dropout", number(job.getLoraDropout())});
      rows.add(new String[] {"target modules", String.join(", ", job.getTargetModules())});
      rows.add(new String[] {"rsLoRA", Boolean.toString(job.isUseRslora())});
    }
    rows.add(new String[] {"epochs", Integer.toString(job.getEpochs())});
    rows.add(new String[] {"learning rate", number(job.getLearningRate())});
    rows.add(new String[] {"schedule", job.getSchedule()});
    rows.add(new String[] {"warm-up ratio", number(job.getWarmupRatio())});
    rows.add(new String[] {"batch size", Integer.toString(job.getBatchSize())});
    rows.add(
        new String[] {"gradient accumulation", Integer.toString(job.getGradientAccumulation())});
    rows.add(new String[] {"weight decay", number(job.getWeightDecay())});
    rows.add(new String[] {"max sequence length", Integer.toString(job.getMaxSeqLength())});
    rows.add(new String[] {"packing", Boolean.toString(job.isPacking())});
    rows.add(new String[] {"seed", Long.toString(job.getSeed())});
    rows.add(new String[] {"steps trained", Integer.toString(job.getSteps())});
    rows.add(new String[] {"tokens trained", Long.toString(job.getTrainedTokens())});
    return rows;
  }

  private void appendEvaluation(StringBuilder md) {
    if (evaluation == null || evaluation.base() == null || evaluation.tuned() == null) {
      return;
    }
    ModelMetrics base = evaluation.base();
    ModelMetrics tuned = evaluation.tuned();
    md.append("## Evaluation: base vs tuned\n\n");
    md.append("On ")
        .append(evaluation.row().getExamples())
        .append(" held-out examples, ")
        .append(evaluation.row().getDecoding())
        .append(" decoding.\n\n");
    md.append("| metric | base | tuned |\n| --- | --- | --- |\n");
    metric(md, "JSON validity", base, tuned, ModelMetrics::jsonValidity);
    metric(md, "object match", base, tuned, ModelMetrics::objectMatch);
    metric(md, "field precision (micro)", base, tuned, ModelMetrics::microPrecision);
    metric(md, "field recall (micro)", base, tuned, ModelMetrics::microRecall);
    metric(md, "field F1 (micro)", base, tuned, ModelMetrics::microF1);
    metric(md, "ROUGE-L", base, tuned, ModelMetrics::rougeL);
    metric(md, "exact text match", base, tuned, ModelMetrics::textMatch);
    metric(md, "loss", base, tuned, ModelMetrics::loss);
    metric(md, "perplexity", base, tuned, ModelMetrics::perplexity);
    metric(md, "token accuracy", base, tuned, ModelMetrics::tokenAccuracy);
    if (!evaluation.fields().isEmpty()) {
      md.append("\n### By field\n\n");
      md.append(
          "| field | support | exact match base | exact match tuned | F1 base | F1 tuned |\n");
      md.append("| --- | --- | --- | --- | --- | --- |\n");
      for (FieldMetrics field : evaluation.fields()) {
        md.append("| `")
            .append(field.path().replace("|", "\\|"))
            .append("` | ")
            .append(field.support())
            .append(" | ")
            .append(fixed(field.base().exactMatch()))
            .append(" | ")
            .append(fixed(field.tuned().exactMatch()))
            .append(" | ")
            .append(fixed(field.base().f1()))
            .append(" | ")
            .append(fixed(field.tuned().f1()))
            .append(" |\n");
      }
    }
  }

  private static void metric(
      StringBuilder md,
      String name,
      ModelMetrics base,
      ModelMetrics tuned,
      Function<ModelMetrics, @Nullable Double> value) {
    md.append("| ")
        .append(name)
        .append(" | ")
        .append(fixed(value.apply(base)))
        .append(" | ")
        .append(fixed(value.apply(tuned)))
        .append(" |\n");
  }

  private static String fixed(@Nullable Double value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  /** A YAML scalar: quoted when it holds anything a plain scalar could misread. */
  private static String yaml(String value) {
    return value.matches("[A-Za-z0-9][A-Za-z0-9._/ -]*")
        ? value
        : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
