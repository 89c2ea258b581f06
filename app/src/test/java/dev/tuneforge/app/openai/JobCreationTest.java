package dev.tuneforge.app.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.finetune.FineTuneRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's create-job request read onto a fine-tune request: the fields OpenAI's clients send, our
 * extensions among the hyperparameters, and a refusal naming the field for anything wrong.
 */
class JobCreationTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final UUID MODEL = UUID.randomUUID();
  private static final UUID TRAIN = UUID.randomUUID();
  private static final UUID VALID = UUID.randomUUID();
  private static final UUID SOURCE = UUID.randomUUID();
  private static final String TUNED = "ft:tuneforge-demo-llama:acme:receipts:" + SOURCE;

  private static final JobCreation.Lookup LOOKUP =
      new JobCreation.Lookup() {
        @Override
        public @Nullable UUID baseModel(String name) {
          return name.equals("tuneforge-demo-llama") ? MODEL : null;
        }

        @Override
        public @Nullable UUID file(String fileId) {
          return Map.of("file-train", TRAIN, "file-valid", VALID).get(fileId);
        }

        @Override
        public JobCreation.@Nullable Continuation tunedModel(String name) {
          return name.equals(TUNED)
              ? new JobCreation.Continuation(
                  SOURCE, MODEL, 16, 32, 0.0, List.of("q_proj", "k_proj"), "lora")
              : null;
        }
      };

  private static JobCreation read(String json) {
    return JobCreation.read(JSON.readTree(json), LOOKUP);
  }

  @Test
  void openAisFieldsMapOntoTheRequest() {
    JobCreation created =
        read(
            """
            {"model":"tuneforge-demo-llama","training_file":"file-train",
             "validation_file":"file-valid","suffix":"receipts","seed":7,
             "hyperparameters":{"n_epochs":3,"batch_size":"auto","learning_rate_multiplier":0.5},
             "metadata":{"team":"ocr"}}""");
    FineTuneRequest request = created.request();
    assertThat(request.baseModelId()).isEqualTo(MODEL);
    assertThat(request.datasetVersionId()).isEqualTo(TRAIN);
    assertThat(request.evaluationDatasetVersionId()).isEqualTo(VALID);
    assertThat(request.seed()).isEqualTo(7);
    assertThat(request.epochs()).isEqualTo(3);
    assertThat(request.batchSize()).as("auto keeps the default").isEqualTo(4);
    assertThat(request.learningRate()).isEqualTo(1e-4);
    assertThat(created.suffix()).isEqualTo("receipts");
    assertThat(created.metadata()).containsEntry("team", "ocr");
  }

  @Test
  void theMethodCarriesHyperparametersAndOurExtensions() {
    FineTuneRequest full =
        read("""
                {"model":"tuneforge-demo-llama","training_file":"file-train",
                 "method":{"type":"supervised","supervised":{"hyperparameters":{
                   "n_epochs":2,"training_method":"full","max_steps":6,"checkpoint_every":2,
                   "evaluation_examples":0,"max_sequence_length":128,
                   "evaluation_max_new_tokens":64}}}}""")
            .request();
    assertThat(full.fullFineTuning()).isTrue();
    assertThat(full.maxSteps()).isEqualTo(6);
    assertThat(full.checkpointEvery()).isEqualTo(2);
    assertThat(full.evaluationExamples()).isZero();
    assertThat(full.maxSequenceLength()).isEqualTo(128);
    assertThat(full.evaluationMaxNewTokens()).isEqualTo(64);

    FineTuneRequest lora =
        read("""
                {"model":"tuneforge-demo-llama","training_file":"file-train",
                 "hyperparameters":{"lora_r":16,"lora_alpha":32,"target_modules":["q_proj","o_proj"]}}""")
            .request();
    assertThat(lora.loraR()).isEqualTo(16);
    assertThat(lora.loraAlpha()).isEqualTo(32);
    assertThat(lora.targetModules()).containsExactly("q_proj", "o_proj");
    assertThat(lora.evaluationMaxNewTokens()).as("the default").isEqualTo(256);

    FineTuneRequest dpo =
        read("""
                {"model":"tuneforge-demo-llama","training_file":"file-train",
                 "method":{"type":"dpo","dpo":{"hyperparameters":{"beta":0.2}}}}""")
            .request();
    assertThat(dpo.preferencePairs()).isTrue();
    assertThat(dpo.dpoBeta()).isEqualTo(0.2);
  }

  @Test
  void aTunedModelIsFineTunedFurtherFromItsFinalWeightsWithItsKindOfAdapter() {
    FineTuneRequest request =
        read("""
                {"model":"%s","training_file":"file-train","hyperparameters":{"n_epochs":2}}"""
                .formatted(TUNED))
            .request();
    assertThat(request.baseModelId()).isEqualTo(MODEL);
    assertThat(request.continueFromJobId()).isEqualTo(SOURCE);
    assertThat(request.continueFromStep()).as("its final weights").isNull();
    assertThat(request.loraR()).isEqualTo(16);
    assertThat(request.targetModules()).containsExactly("q_proj", "k_proj");
    assertThat(request.epochs()).isEqualTo(2);
    assertRefused(
        """
        {"model":"ft:tuneforge-demo-llama:acme:x:%s","training_file":"file-train"}"""
            .formatted(UUID.randomUUID()),
        "model",
        null);
  }

  @Test
  void aBadHyperparameterIsRefusedNamingIt() {
    assertRefused(
        """
        {"model":"tuneforge-demo-llama","training_file":"file-train","hyperparameters":{"n_epochs":0}}""",
        "hyperparameters.n_epochs",
        "hyperparameters.n_epochs must be 'auto' or a whole number from 1 to 100, not 0");
    assertRefused(
        """
        {"model":"tuneforge-demo-llama","training_file":"file-train",
         "hyperparameters":{"learning_rate_multiplier":"fast"}}""",
        "hyperparameters.learning_rate_multiplier",
        null);
    assertRefused(
        """
        {"model":"tuneforge-demo-llama","training_file":"file-train","hyperparameters":{"warp":1}}""",
        "hyperparameters.warp",
        "Unknown hyperparameter: 'warp'");
    assertRefused(
        """
        {"model":"tuneforge-demo-llama","training_file":"file-train",
         "hyperparameters":{"evaluation_max_new_tokens":4097}}""",
        "hyperparameters.evaluation_max_new_tokens",
        "hyperparameters.evaluation_max_new_tokens must be 'auto' or a whole number from 1 to"
            + " 4096, not 4097");
  }

  @Test
  void unknownModelsAndFilesAndMissingFieldsAreRefused() {
    assertRefused(
        """
        {"model":"gpt-4o-mini","training_file":"file-train"}""",
        "model",
        "Model 'gpt-4o-mini' does not exist or is not available to you for fine-tuning");
    assertRefused(
        """
        {"model":"tuneforge-demo-llama","training_file":"file-other"}""",
        "training_file",
        "No such file: 'file-other'");
    assertRefused(
        """
        {"training_file":"file-train"}""",
        "model",
        "Missing required parameter: 'model'");
    assertRefused(
        """
        {"model":"tuneforge-demo-llama","training_file":"file-train","metadata":{"a":1}}""",
        "metadata.a",
        null);
  }

  private static void assertRefused(String json, String param, @Nullable String message) {
    assertThatThrownBy(() -> read(json))
        .isInstanceOfSatisfying(
            OpenAiException.class,
            e -> {
              assertThat(e.error().error().param()).isEqualTo(param);
              assertThat(e.status().value()).isEqualTo(400);
              if (message != null) {
                assertThat(e.getMessage()).isEqualTo(message);
              }
            });
  }
}
