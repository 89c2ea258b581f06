package dev.tuneforge.launcher;

import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.DatasetUploadOptions;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import dev.tuneforge.app.dataset.tokens.TokenLengthService;
import dev.tuneforge.app.dataset.tokens.TokenLengths;
import dev.tuneforge.app.dataset.tokens.TokenLengths.Status;
import dev.tuneforge.app.evaluation.EvaluationService;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.chat.PreferenceDataset;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.PreferenceMetrics;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.train.EncodedPairs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationContext;

/**
 * DPO through the platform: a member uploads preference pairs in OpenAI's format, where the chosen
 * answer gives the receipt's total as a JSON object and the rejected one in another shape; SFT
 * methods are refused for them and DPO is refused for chat rows; a DPO fine-tune of the demo model
 * by the real node (β 0.1 with the SFT term at weight 1) reports TRL's rewards with each step, and
 * on the held-out pairs (a random split of the upload) the tuned model prefers the chosen answers
 * more often than the base does.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class DpoEndToEndIT {
  private static final Pattern ACCURACY =
      Pattern.compile(
          "preference accuracy on (\\d+) held-out pairs: ([\\d.]+)% \\(base\\) -> ([\\d.]+)%"
              + " \\(tuned\\)");

  @TempDir static Path data;
  static LocalPlatform platform;
  static ApplicationContext app;
  static SignedInUser member;
  static DatasetSummary pairs;
  static UUID demo;

  @BeforeAll
  static void start() throws IOException {
    platform = LocalPlatform.start(LocalPlatform.Settings.forTests(data.resolve("platform")));
    app = platform.context();
    String suffix = PlatformTestSupport.suffix();
    member = PlatformTestSupport.memberOfNewTenant(app, "Preferences " + suffix, "pat-" + suffix);
    Path file = Files.write(data.resolve("receipt-pairs.jsonl"), openAiPairs(64));
    pairs =
        as(
                member,
                () ->
                    app.getBean(DatasetService.class)
                        .upload(
                            "receipt pairs",
                            "receipt-pairs.jsonl",
                            file,
                            DatasetUploadOptions.defaults()
                                .withSplit(new DatasetSplit.Random(25, 42))))
            .dataset();
    demo = app.getBean(CatalogService.class).findByName(DemoModel.NAME).orElseThrow().getId();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void dpoOnPreferencePairsPrefersTheChosenAnswersMoreOftenThanTheBase() {
    assertThat(pairs.preferencePairs()).isTrue();
    assertThat(pairs.validationRows()).isPositive();
    FineTuneService fineTunes = app.getBean(FineTuneService.class);
    FineTuneRequest request =
        FineTuneRequest.builder()
            .setBaseModel(demo)
            .setDatasetVersion(pairs.versionId())
            .optMethod(FineTuneRequest.DPO)
            .optPreference(0.1, 1.0)
            .optLora(8, 16, 0.0)
            .optTargetModules(
                List.of(
                    "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"))
            .optEpochs(10)
            .optLearningRate(1e-2)
            .optBatchSize(4)
            .optMaxSequenceLength(256)
            .optMaxSteps(24)
            .optCheckpointEvery(12)
            .optEvaluation(null, 20)
            .build();
    assertThatThrownBy(
            () -> as(member, () -> fineTunes.create(request.withMethod(FineTuneRequest.LORA))))
        .hasMessageContaining("holds preference pairs, which only DPO trains on");
    assertThatThrownBy(
            () -> as(member, () -> fineTunes.create(request.toBuilder().optPacking(true).build())))
        .as("a pair's two answers are compared whole, never packed with other rows")
        .hasMessageContaining("DPO does not pack rows: turn packing off");

    FineTuneJob job = as(member, () -> fineTunes.create(request));
    job =
        PlatformTestSupport.awaitFinished(
            platform, member, job.getId(), Duration.ofMinutes(10), data.resolve("platform"));

    assertThat(job.getStatus()).as(job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    UUID id = job.getId();
    List<JobEventRecord> events = as(member, () -> fineTunes.events(id));
    List<PreferenceMetrics> rewards =
        events.stream()
            .filter(e -> e.getType() == JobEvent.Type.METRIC)
            .map(e -> PreferenceMetrics.parse(e.getMessage()))
            .toList();
    assertThat(rewards).hasSize(24).doesNotContainNull();
    assertThat(rewards.getLast().margin()).isPositive();
    String measured =
        events.stream()
            .map(JobEventRecord::getMessage)
            .filter(m -> m != null && m.startsWith("preference accuracy on "))
            .findFirst()
            .orElseThrow();
    Matcher m = ACCURACY.matcher(measured);
    assertThat(m.find()).as(measured).isTrue();
    double base = Double.parseDouble(m.group(2));
    double tuned = Double.parseDouble(m.group(3));
    System.out.printf(Locale.ROOT, "DPO end to end: %s%n", measured);
    assertThat(Integer.parseInt(m.group(1))).isEqualTo(pairs.validationRows());
    assertThat(tuned).as(measured).isGreaterThan(base);
    assertThat(as(member, () -> app.getBean(EvaluationService.class).find(id)))
        .as("a DPO job generates nothing for the evaluation page")
        .isEmpty();
    String suffix = PlatformTestSupport.suffix();
    SignedInUser other =
        PlatformTestSupport.memberOfNewTenant(app, "Others " + suffix, "olly-" + suffix);
    assertThat(as(other, () -> fineTunes.find(id))).isEmpty();
    assertThat(as(other, () -> app.getBean(DatasetService.class).findVersion(pairs.versionId())))
        .isEmpty();
  }

  /**
   * A preference version's token count measures each pair as DPO's trainer encodes it, the prompt
   * with each answer: the form's truncated and skipped pairs are the node's truncated and left-out
   * ones, at the default length and at one that leaves pairs without an answer token.
   */
  @Test
  void preferencePairsAreCountedAsDpoTruncatesThem() throws IOException {
    UUID version = pairs.versionId();
    TokenLengths stored =
        PlatformTestSupport.awaitTokenLengths(
            app, member, version, demo, TokenLengthService.DEFAULT_MAX_LENGTH);
    assertThat(stored.status()).as("error: %s", stored.error()).isEqualTo(Status.SUCCEEDED);
    TokenLengths.Summary whole = stored.summary();
    assertThat(whole).isNotNull();
    int shorter = whole.keepsEveryRow() - 1;
    as(member, () -> app.getBean(TokenLengthService.class).request(version, demo, shorter));
    TokenLengths cut = PlatformTestSupport.awaitTokenLengths(app, member, version, demo, shorter);
    assertThat(cut.status()).as("error: %s", cut.error()).isEqualTo(Status.SUCCEEDED);

    Path train = data.resolve("stored-pairs.jsonl");
    String key =
        as(member, () -> app.getBean(DatasetService.class).trainingFileKey(version).orElseThrow());
    try (InputStream in = app.getBean(ObjectStorage.class).open(key)) {
      Files.copy(in, train);
    }
    Path modelDir = Files.createDirectories(data.resolve("demo-model"));
    DemoModelWriter.write(modelDir, DemoModel.SEED);
    List<PreferenceDataset.Pair> read = PreferenceDataset.read(train);
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDir)) {
      ChatEncoder full = ChatEncoder.forModel(modelDir, tokenizer, Integer.MAX_VALUE);
      int longest = 0;
      long answerTokens = 0;
      for (PreferenceDataset.Pair pair : read) {
        EncodedExample chosen = full.encode(pair.chosen());
        EncodedExample rejected = full.encode(pair.rejected());
        longest = Math.max(longest, Math.max(chosen.length(), rejected.length()));
        answerTokens += chosen.trainableTokens() + rejected.trainableTokens();
      }
      assertThat(whole.rows()).isEqualTo(pairs.rows()).isEqualTo(read.size());
      assertThat(whole.maxTokens()).isEqualTo(longest);
      assertThat(whole.assistantTokens()).isEqualTo(answerTokens);
      assertThat(whole.truncatedRows()).isZero();
      EncodedPairs trained =
          EncodedPairs.encode(read, ChatEncoder.forModel(modelDir, tokenizer, shorter));
      assertThat(cut.summary().truncatedRows()).isEqualTo(trained.truncated()).isPositive();
      assertThat(cut.summary().droppedRows()).isEqualTo(trained.leftOut()).isPositive();
      assertThat(cut.summary().rows() - cut.summary().droppedRows()).isEqualTo(trained.size());
    }
  }

  /** The wrong shapes of a rejected answer: one shorter, one as long and one longer than JSON. */
  private static final List<String> REJECTED =
      List.of("total: %s", "[\\\"total\\\", \\\"%s\\\"]", "<total>%s</total>");

  /**
   * Receipts whose chosen answer is the total as a JSON object and whose rejected one gives it in
   * another shape, shorter, as long or longer, so that length alone does not decide for the base.
   */
  static List<String> openAiPairs(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(
            n -> {
              String total = (n * 37 % 900) + "." + (n * 13 % 90 + 10);
              return ("{\"input\":{\"messages\":[{\"role\":\"system\",\"content\":\"Extract the"
                      + " total.\"},{\"role\":\"user\",\"content\":\"SHOP %d\\nTOTAL RM %s\"}]},"
                      + "\"preferred_output\":[{\"role\":\"assistant\",\"content\":"
                      + "\"{\\\"total\\\": \\\"%s\\\"}\"}],"
                      + "\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\""
                      + REJECTED.get(n % REJECTED.size())
                      + "\"}]}")
                  .formatted(n, total, total, total);
            })
        .toList();
  }
}
