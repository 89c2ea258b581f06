package dev.tuneforge.app.openai;

import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTunedModelName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI's request to create a fine-tuning job, read onto a {@link FineTuneRequest}: {@code model}
 * (a base model's name), {@code training_file} and {@code validation_file} (file ids), {@code
 * suffix}, {@code seed}, {@code metadata}, and the hyperparameters, at the top ({@code
 * hyperparameters}) or under {@code method.supervised} or {@code method.dpo}. OpenAI's {@code
 * "auto"} keeps our default. Our own settings are extensions among the hyperparameters (see {@link
 * #EXTENSIONS}). A tuned model's name as {@code model} continues from that model's final weights,
 * as OpenAI fine-tunes a fine-tuned model further. Each refusal names the field.
 */
record JobCreation(
    FineTuneRequest request, @Nullable String suffix, @Nullable Map<String, String> metadata) {

  /** Our settings, beside OpenAI's {@code n_epochs}, {@code batch_size} and the multiplier. */
  static final Set<String> EXTENSIONS =
      Set.of(
          "training_method",
          "lora_r",
          "lora_alpha",
          "lora_dropout",
          "target_modules",
          "learning_rate",
          "max_steps",
          "max_sequence_length",
          "checkpoint_every",
          "evaluation_examples",
          "evaluation_max_new_tokens",
          "use_rslora",
          "packing",
          "warmup_ratio",
          "gradient_accumulation",
          "weight_decay");

  private static final Set<String> OPENAI =
      Set.of("n_epochs", "batch_size", "learning_rate_multiplier", "beta");

  private static final Set<String> FIELDS =
      Set.of(
          "model",
          "training_file",
          "validation_file",
          "suffix",
          "seed",
          "hyperparameters",
          "method",
          "metadata",
          "integrations");

  /** Finds what the request names, as the caller's tenant sees it. */
  interface Lookup {
    /** A base model's id by its name, or null when the caller has no such model. */
    @Nullable UUID baseModel(String name);

    /** A file's dataset version, or null when the caller has no such file. */
    @Nullable UUID file(String fileId);

    /** The job that made a tuned model of the caller's tenant, or null when there is none. */
    @Nullable Continuation tunedModel(String name);
  }

  /**
   * A tuned model to fine-tune further: its job (the new one continues from its final weights), its
   * base model and the kind of weights it trained, which the new job keeps unless told otherwise.
   */
  record Continuation(
      UUID jobId,
      UUID baseModelId,
      int loraR,
      double loraAlpha,
      double loraDropout,
      List<String> targetModules,
      String method) {}

  private static OpenAiException notAvailable(String model) {
    return new OpenAiException(
        HttpStatus.BAD_REQUEST,
        "invalid_request_error",
        "Model '" + model + "' does not exist or is not available to you for fine-tuning",
        "model",
        "model_not_available");
  }

  static JobCreation read(JsonNode body, Lookup lookup) {
    if (!body.isObject()) {
      throw OpenAiException.invalid("The request body must be a JSON object", null);
    }
    for (String field : body.propertyNames()) {
      if (!FIELDS.contains(field)) {
        throw OpenAiException.invalid("Unknown parameter: '" + field + "'", field);
      }
    }
    String model = requiredText(body, "model");
    FineTuneRequest.Builder builder = FineTuneRequest.builder();
    if (FineTunedModelName.isTuned(model)) {
      Continuation source = lookup.tunedModel(model);
      if (source == null) {
        throw notAvailable(model);
      }
      builder
          .setBaseModel(source.baseModelId())
          .optContinueFrom(source.jobId(), null)
          .optLora(source.loraR(), source.loraAlpha(), source.loraDropout())
          .optTargetModules(source.targetModules())
          .optMethod(FineTuneRequest.FULL.equals(source.method()) ? source.method() : null);
    } else {
      UUID baseModel = lookup.baseModel(model);
      if (baseModel == null) {
        throw notAvailable(model);
      }
      builder.setBaseModel(baseModel);
    }
    builder.setDatasetVersion(file(body, "training_file", lookup));
    JsonNode validation = body.path("validation_file");
    if (!validation.isMissingNode() && !validation.isNull()) {
      builder.optEvaluation(
          file(body, "validation_file", lookup), FineTuneRequest.DEFAULT_EVALUATION_EXAMPLES);
    }
    JsonNode seed = body.path("seed");
    if (!seed.isMissingNode() && !seed.isNull()) {
      builder.optSeed(integer(seed, "seed", 0, Integer.MAX_VALUE));
    }
    String suffix = optionalText(body, "suffix");
    JsonNode integrations = body.path("integrations");
    if (integrations.isArray() && !integrations.isEmpty()) {
      throw OpenAiException.invalid("Integrations are not offered here", "integrations");
    }
    Hyperparameters.apply(hyperparameters(body), builder);
    return new JobCreation(builder.build(), suffix, metadata(body.path("metadata")));
  }

  /** The hyperparameters object and where it was, from the method or the top level. */
  private static Hyperparameters hyperparameters(JsonNode body) {
    JsonNode method = body.path("method");
    JsonNode top = body.path("hyperparameters");
    if (method.isMissingNode() || method.isNull()) {
      return new Hyperparameters(top, "hyperparameters", false);
    }
    String type = requiredText(method, "type", "method.type");
    if (!type.equals("supervised") && !type.equals("dpo")) {
      throw OpenAiException.invalid(
          "method.type must be 'supervised' or 'dpo', not '" + type + "'", "method.type");
    }
    JsonNode nested = method.path(type).path("hyperparameters");
    boolean nestedGiven = !nested.isMissingNode() && !nested.isNull();
    boolean topGiven = !top.isMissingNode() && !top.isNull();
    if (nestedGiven && topGiven) {
      throw OpenAiException.invalid(
          "Give hyperparameters either at the top or under method." + type + ", not both",
          "hyperparameters");
    }
    return nestedGiven
        ? new Hyperparameters(nested, "method." + type + ".hyperparameters", type.equals("dpo"))
        : new Hyperparameters(top, "hyperparameters", type.equals("dpo"));
  }

  /** One hyperparameters object; {@code at} is its place in the request, for messages. */
  private record Hyperparameters(JsonNode node, String at, boolean dpo) {
    static void apply(Hyperparameters h, FineTuneRequest.Builder builder) {
      FineTuneRequest defaults = builder.build();
      if (h.dpo) {
        builder.optMethod(FineTuneRequest.DPO);
      }
      if (h.node.isMissingNode() || h.node.isNull()) {
        return;
      }
      if (!h.node.isObject()) {
        throw OpenAiException.invalid(h.at + " must be an object", h.at);
      }
      for (String name : h.node.propertyNames()) {
        if (!OPENAI.contains(name) && !EXTENSIONS.contains(name)) {
          throw OpenAiException.invalid(
              "Unknown hyperparameter: '" + name + "'", h.at + "." + name);
        }
      }
      Integer epochs = h.integer("n_epochs", 1, 100);
      if (epochs != null) builder.optEpochs(epochs);
      Integer batch = h.integer("batch_size", 1, 512);
      if (batch != null) builder.optBatchSize(batch);
      Double multiplier = h.number("learning_rate_multiplier", 1e-6, 1000);
      if (multiplier != null) builder.optLearningRate(JobObject.BASE_LEARNING_RATE * multiplier);
      Double rate = h.number("learning_rate", 1e-9, 1);
      if (rate != null) builder.optLearningRate(rate);
      Double beta = h.number("beta", 1e-6, 10);
      if (beta != null) builder.optPreference(beta, defaults.dpoSftWeight());
      String method = h.text("training_method");
      if (method != null) {
        if (h.dpo) {
          throw OpenAiException.invalid(
              "DPO trains a LoRA adapter: leave out training_method", h.at + ".training_method");
        }
        builder.optMethod(method);
      }
      Integer r = h.integer("lora_r", 1, 256);
      Double alpha = h.number("lora_alpha", 1e-6, 1e6);
      Double dropout = h.number("lora_dropout", 0, 0.99);
      builder.optLora(
          r == null ? defaults.loraR() : r,
          alpha == null ? defaults.loraAlpha() : alpha,
          dropout == null ? defaults.loraDropout() : dropout);
      List<String> modules = h.texts("target_modules");
      if (modules != null) builder.optTargetModules(modules);
      Integer maxSteps = h.integer("max_steps", 0, 10_000_000);
      if (maxSteps != null) builder.optMaxSteps(maxSteps);
      Integer length = h.integer("max_sequence_length", 16, 32768);
      if (length != null) builder.optMaxSequenceLength(length);
      Integer every = h.integer("checkpoint_every", 0, 10_000_000);
      if (every != null) builder.optCheckpointEvery(every);
      Integer examples = h.integer("evaluation_examples", 0, 10_000);
      if (examples != null) builder.optEvaluation(defaults.evaluationDatasetVersionId(), examples);
      Integer maxNewTokens =
          h.integer("evaluation_max_new_tokens", 1, FineTuneRequest.MAX_EVALUATION_NEW_TOKENS);
      if (maxNewTokens != null) builder.optEvaluationMaxNewTokens(maxNewTokens);
      Boolean rslora = h.bool("use_rslora");
      if (rslora != null) builder.optRslora(rslora);
      Boolean packing = h.bool("packing");
      if (packing != null) builder.optPacking(packing);
      Double warmup = h.number("warmup_ratio", 0, 0.5);
      if (warmup != null) builder.optWarmupRatio(warmup);
      Integer accumulation = h.integer("gradient_accumulation", 1, 64);
      if (accumulation != null) builder.optGradientAccumulation(accumulation);
      Double decay = h.number("weight_decay", 0, 1);
      if (decay != null) builder.optWeightDecay(decay);
    }

    private @Nullable JsonNode given(String name) {
      JsonNode value = node.path(name);
      return value.isMissingNode() || value.isNull() || "auto".equals(value.asString(null))
          ? null
          : value;
    }

    private @Nullable Integer integer(String name, int min, int max) {
      JsonNode value = given(name);
      return value == null ? null : JobCreation.integer(value, at + "." + name, min, max);
    }

    private @Nullable Double number(String name, double min, double max) {
      JsonNode value = given(name);
      if (value == null) {
        return null;
      }
      if (!value.isNumber() || value.doubleValue() < min || value.doubleValue() > max) {
        throw OpenAiException.invalid(
            at
                + "."
                + name
                + " must be 'auto' or a number from "
                + min
                + " to "
                + max
                + ", not "
                + value,
            at + "." + name);
      }
      return value.doubleValue();
    }

    private @Nullable String text(String name) {
      JsonNode value = given(name);
      if (value != null && !value.isString()) {
        throw OpenAiException.invalid(at + "." + name + " must be a string", at + "." + name);
      }
      return value == null ? null : value.asString();
    }

    private @Nullable Boolean bool(String name) {
      JsonNode value = given(name);
      if (value != null && !value.isBoolean()) {
        throw OpenAiException.invalid(at + "." + name + " must be true or false", at + "." + name);
      }
      return value == null ? null : value.booleanValue();
    }

    private @Nullable List<String> texts(String name) {
      JsonNode value = given(name);
      if (value == null) {
        return null;
      }
      List<String> texts = new ArrayList<>();
      if (value.isArray()) {
        for (JsonNode item : value) {
          if (item.isString()) texts.add(item.asString());
        }
      }
      if (!value.isArray() || texts.size() != value.size()) {
        throw OpenAiException.invalid(
            at + "." + name + " must be a list of strings", at + "." + name);
      }
      return texts;
    }
  }

  private static int integer(JsonNode value, String param, int min, int max) {
    if (!value.isIntegralNumber() || value.longValue() < min || value.longValue() > max) {
      throw OpenAiException.invalid(
          param + " must be 'auto' or a whole number from " + min + " to " + max + ", not " + value,
          param);
    }
    return value.intValue();
  }

  private static UUID file(JsonNode body, String field, Lookup lookup) {
    String id = requiredText(body, field);
    UUID version = lookup.file(id);
    if (version == null) {
      throw new OpenAiException(
          HttpStatus.BAD_REQUEST,
          "invalid_request_error",
          "No such file: '" + id + "'",
          field,
          "file_not_found");
    }
    return version;
  }

  private static String requiredText(JsonNode node, String field) {
    return requiredText(node, field, field);
  }

  private static String requiredText(JsonNode node, String field, String param) {
    JsonNode value = node.path(field);
    if (!value.isString() || value.asString().isBlank()) {
      throw OpenAiException.invalid("Missing required parameter: '" + param + "'", param);
    }
    return value.asString();
  }

  private static @Nullable String optionalText(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw OpenAiException.invalid(field + " must be a string", field);
    }
    return value.asString();
  }

  /** OpenAI's metadata: up to 16 string values, keys up to 64 and values up to 512 characters. */
  private static @Nullable Map<String, String> metadata(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isObject() || node.size() > 16) {
      throw OpenAiException.invalid("metadata is an object of up to 16 strings", "metadata");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      JsonNode value = entry.getValue();
      if (entry.getKey().length() > 64 || !value.isString() || value.asString().length() > 512) {
        throw OpenAiException.invalid(
            "metadata keys are up to 64 characters and values strings of up to 512",
            "metadata." + entry.getKey());
      }
      metadata.put(entry.getKey(), value.asString());
    }
    return metadata;
  }
}
